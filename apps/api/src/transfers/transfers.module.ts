import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TransferCommandsService } from './transfer-commands.service.js';
import { TransferQueriesService } from './transfer-queries.service.js';
import { TransfersController } from './transfers.controller.js';
import { DecisionWriter } from './decision-writer.js';

@Module({
  imports: [AuditModule],
  controllers: [TransfersController],
  providers: [TransferQueriesService, TransferCommandsService, DecisionWriter],
  exports: [TransferQueriesService, TransferCommandsService, DecisionWriter],
})
export class TransfersModule {}
