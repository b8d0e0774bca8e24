import { Module } from '@nestjs/common';
import { AccountPageController } from './account-page.controller';
import { AccessModuleRedis } from '../access/access.module';
import { IdentityModule } from '../access/identity.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SearchModule } from '../search/search.module';
import { TaggingModule } from '../enrichment/tagging/tagging.module';
import { BatchesModule } from '../batches/batches.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { ModerationModule } from '../moderation/moderation.module';
import { BatchesPageController } from './batches-page.controller';
import { BatchesPageService } from './batches-page.service';
import { ModerationPageController } from './moderation-page.controller';
import { ModerationPageService } from './moderation-page.service';
import { TaxonomyPageController } from './taxonomy-page.controller';
import { TaxonomyPageService } from './taxonomy-page.service';
import { TrendsPageController } from './trends-page.controller';
import { TrendsPageService } from './trends-page.service';
import { UploadPageController } from './upload-page.controller';
import { UploadPageService } from './upload-page.service';
import { InsightPageController } from './insight-page.controller';
import { InsightPageService } from './insight-page.service';
import { SearchPageController } from './search-page.controller';
import { SearchPageService } from './search-page.service';
import { SignInPageController } from './sign-in-page.controller';

/**
 * The web pages (NHS.UK design system): sign-in, search, insight detail, trends, upload, batches,
 * moderation and the taxonomy. See README.md here.
 */
@Module({
  imports: [
    IdentityModule,
    AccessModuleRedis,
    OrganisationsModule,
    SearchModule,
    TaggingModule,
    BatchesModule,
    TaxonomyModule,
    ModerationModule,
  ],
  controllers: [
    SignInPageController,
    AccountPageController,
    SearchPageController,
    InsightPageController,
    TrendsPageController,
    UploadPageController,
    BatchesPageController,
    ModerationPageController,
    TaxonomyPageController,
  ],
  providers: [
    SearchPageService,
    InsightPageService,
    TrendsPageService,
    UploadPageService,
    BatchesPageService,
    ModerationPageService,
    TaxonomyPageService,
  ],
})
export class WebModule {}
