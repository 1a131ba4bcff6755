import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';

@Module({ imports: [AuditModule], controllers: [DirectoryController], providers: [DirectoryService] })
export class DirectoryModule {}
