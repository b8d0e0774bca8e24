import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config';
import { MEILI_CONNECTION, MeiliService, meiliConnectionFactory } from './meili.service';

@Global()
@Module({
  providers: [
    { provide: MEILI_CONNECTION, inject: [APP_CONFIG], useFactory: meiliConnectionFactory },
    MeiliService,
  ],
  exports: [MeiliService, MEILI_CONNECTION],
})
export class MeiliModule {}
