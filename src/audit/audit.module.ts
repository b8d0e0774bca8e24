import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log, available to every module of every process. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
