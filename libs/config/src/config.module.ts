import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@fh/domain';
import { AppConfig } from './config.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * What a process runs with, injectable everywhere: the already-validated configuration
 * (APP_CONFIG) and the clock (the system's, or a test's).
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
