import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { loggerParams } from '@fh/observability';
import { PersistenceModule } from '@fh/persistence';
import { LoggerModule } from 'nestjs-pino';
import { AdminController } from './admin/admin.controller.js';
import { AdminSessions } from './admin/admin-sessions.js';
import { AuditModule } from './audit/audit.module.js';
import { AccessGuard } from './auth/access.guard.js';
import { DirectoryLookup } from './auth/directory-lookup.service.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { TokenVerifier } from './auth/token-verifier.service.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { DirectoryModule } from './directory/directory.module.js';
import { HealthModule } from './health/health.module.js';
import { ChasingModule } from './chasing/chasing.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { PacketsModule } from './packets/packets.module.js';
import { StartupService } from './startup.service.js';
import { TransfersModule } from './transfers/transfers.module.js';
import { TransferRequestsModule } from './transfer-requests/transfer-requests.module.js';

@Module({})
export class AppModule {
  static register(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        LoggerModule.forRoot(loggerParams(config.logLevel, 'api', { ownAccessLog: true })),
        PersistenceModule,
        AuditModule,
        HealthModule,
        DirectoryModule,
        TransfersModule,
        TransferRequestsModule,
        ChasingModule,
        MonitoringModule,
        PacketsModule,
      ],
      controllers: [AdminController],
      providers: [
        StartupService,
        AdminSessions,
        TokenVerifier,
        DirectoryLookup,
        RateLimiter,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
