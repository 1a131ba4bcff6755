import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PacketsController } from './packets.controller.js';
import { PacketsService } from './packets.service.js';

@Module({
  imports: [AuditModule],
  controllers: [PacketsController],
  providers: [PacketsService],
})
export class PacketsModule {}
