import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TransfersModule } from '../transfers/transfers.module.js';
import { ChasingController } from './chasing.controller.js';
import { ChasingService } from './chasing.service.js';

@Module({ imports: [AuditModule, TransfersModule], controllers: [ChasingController], providers: [ChasingService] })
export class ChasingModule {}
