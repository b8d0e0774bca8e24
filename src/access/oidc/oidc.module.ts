import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config';
import type { AppConfig } from '../../config/env.schema';
import { OrganisationsModule } from '../../organisations/organisations.module';
import { IdentityModule } from '../identity.module';
import { OidcController } from './oidc.controller';
import { OidcProviderAdapter } from './oidc-provider.adapter';
import { oidcSettingsFrom } from './oidc-settings';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcUsersRepository } from './oidc-users.repository';
import { OIDC_SETTINGS } from './oidc.tokens';

/**
 * Optional sign-in through an OpenID Connect provider. The routes always exist and answer 404
 * while OIDC_ISSUER is unset, so the route table is the same in every set-up.
 */
@Module({
  imports: [IdentityModule, OrganisationsModule],
  controllers: [OidcController],
  providers: [
    {
      provide: OIDC_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => oidcSettingsFrom(c),
    },
    OidcProviderAdapter,
    OidcUsersRepository,
    OidcSignInService,
  ],
})
export class OidcModule {}
