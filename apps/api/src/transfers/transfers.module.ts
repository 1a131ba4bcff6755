import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { TransfersController } from './transfers.controller.js';
import { TransfersService } from './transfers.service.js';
import { TransitionEffects } from './transition-effects.js';

@Module({
  imports: [AuditModule],
  controllers: [TransfersController],
  providers: [TransfersService, TransitionEffects],
  exports: [TransfersService, TransitionEffects],
})
export class TransfersModule {}
