import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { APP_CONFIG } from '../config/config';
import type { AppConfig } from '../config/env.schema';
import { AccessGuard } from './access.guard';
import { AccessRedis } from './access-redis';
import { ApiKeyCache } from './api-key-cache';
import { AuditController } from './audit.controller';
import { AuthController } from './auth.controller';
import { IdentityModule } from './identity.module';
import { OidcModule } from './oidc/oidc.module';
import { PasswordSignInService } from './sign-in.service';
import { SignInLimiter } from './sign-in-limiter';
import { PrincipalThrottlerGuard } from './throttle.guard';

/**
 * The Redis connection for sessions and rate limits, shared by the throttler and the session
 * store, and password sign-in with its per-address limit (for the API and the sign-in page).
 */
@Module({
  imports: [IdentityModule],
  providers: [AccessRedis, SignInLimiter, PasswordSignInService],
  exports: [AccessRedis, PasswordSignInService],
})
export class AccessModuleRedis {}

/**
 * Sign-in, sessions, API keys, the permission check on every route and rate limits (api only).
 * The guards run in this order: who is calling and may they, then how often.
 */
@Module({
  imports: [
    IdentityModule,
    ThrottlerModule.forRootAsync({
      imports: [AccessModuleRedis],
      inject: [APP_CONFIG, AccessRedis],
      useFactory: (config: AppConfig, redis: AccessRedis) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
        storage: new ThrottlerStorageRedisService(redis.client),
      }),
    }),
    AccessModuleRedis,
    OidcModule,
  ],
  controllers: [AuthController, AuditController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
  ],
})
export class AccessModule implements OnModuleInit {
  constructor(private readonly keys: ApiKeyCache) {}

  /** The api keeps keys it has read, and hears when another process revokes one. */
  onModuleInit(): void {
    this.keys.listen();
  }
}
