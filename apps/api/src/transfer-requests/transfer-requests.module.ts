import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TransfersModule } from '../transfers/transfers.module.js';
import { TransferRequestsController } from './transfer-requests.controller.js';
import { TransferRequestsService } from './transfer-requests.service.js';

@Module({
  imports: [AuditModule, TransfersModule],
  controllers: [TransferRequestsController],
  providers: [TransferRequestsService],
})
export class TransferRequestsModule {}
