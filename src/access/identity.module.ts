import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { IdentityService } from './identity.service';

/** Users and API keys, for the api and the CLI. */
@Module({
  imports: [OrganisationsModule],
  providers: [IdentityService],
  exports: [IdentityService],
})
export class IdentityModule {}
