import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MonitoringController } from './monitoring.controller.js';
import { MonitoringService } from './monitoring.service.js';

@Module({ imports: [AuditModule], controllers: [MonitoringController], providers: [MonitoringService] })
export class MonitoringModule {}
