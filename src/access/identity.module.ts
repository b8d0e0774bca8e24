import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ApiKeyCache } from './api-key-cache';
import { IdentityService } from './identity.service';
import { PasswordChangeService } from './password-change.service';

/** Users and API keys, for the api and the CLI. */
@Module({
  imports: [OrganisationsModule],
  providers: [IdentityService, ApiKeyCache, PasswordChangeService],
  exports: [IdentityService, ApiKeyCache, PasswordChangeService],
})
export class IdentityModule {}
