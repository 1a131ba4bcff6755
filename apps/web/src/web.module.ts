import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { loggerParams } from '@fh/observability';
import { createDataSource } from '@fh/persistence/data-source.js';
import { LoggerModule } from 'nestjs-pino';
import { ApiClient } from './api/api-client.service.js';
import { AuthController } from './auth/auth.controller.js';
import { OidcService } from './auth/oidc.service.js';
import { SignedInGuard } from './common/signed-in.guard.js';
import { Views } from './common/views.service.js';
import { WebExceptionFilter } from './common/web-exception.filter.js';
import { HomeController } from './pages/home.controller.js';
import { MonitoringController } from './monitoring/monitoring.controller.js';
import { NewTransferController } from './new-transfer/new-transfer.controller.js';
import { SessionService, WEB_DATA_SOURCE } from './session/session.service.js';
import { TransferActionsController } from './transfers/transfer-actions.controller.js';
import { TransferController } from './transfers/transfer.controller.js';
import { TransferRequestsController } from './transfer-requests/transfer-requests.controller.js';
import { WEB_CONFIG } from './web-config.token.js';
import type { WebConfig } from './web-config.js';

/**
 * The console. Extension point: a new section adds its controller here (e.g. transfers/new,
 * monitoring) and its entry in common/nav.ts; pages use Views, ApiClient and common/form-errors.ts.
 */
@Module({})
export class WebModule {
  static register(config: WebConfig): DynamicModule {
    return {
      module: WebModule,
      imports: [LoggerModule.forRoot(loggerParams(config.logLevel, 'web'))],
      controllers: [
        AuthController,
        HomeController,
        NewTransferController,
        MonitoringController,
        TransferController,
        TransferActionsController,
        TransferRequestsController,
      ],
      providers: [
        { provide: WEB_CONFIG, useValue: config },
        {
          provide: WEB_DATA_SOURCE,
          useFactory: async () => {
            const dataSource = createDataSource({
              databaseUrl: config.databaseUrl,
              databasePoolSize: config.databasePoolSize,
            });
            return dataSource.initialize();
          },
        },
        SessionService,
        OidcService,
        ApiClient,
        Views,
        { provide: APP_GUARD, useClass: SignedInGuard },
        { provide: APP_FILTER, useClass: WebExceptionFilter },
      ],
    };
  }
}
