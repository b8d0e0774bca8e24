import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config';
import { IndexGateway } from '../index-gateway';
import { MEILI_CONNECTION, MeiliService, meiliConnectionFactory } from './meili.service';

@Global()
@Module({
  providers: [
    { provide: MEILI_CONNECTION, inject: [APP_CONFIG], useFactory: meiliConnectionFactory },
    MeiliService,
    IndexGateway,
  ],
  exports: [MeiliService, IndexGateway, MEILI_CONNECTION],
})
export class MeiliModule {}
