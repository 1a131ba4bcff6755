import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}
  // Connections close last, after workers and queues (their shutdown hooks run before this one's module).
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides the DataSource (initialised, not migrated) to both apps. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const dataSource = createDataSource(config);
        await dataSource.initialize();
        new Logger('Database').log('connected');
        return dataSource;
      },
    },
    DataSourceCloser,
  ],
  exports: [DataSource],
})
export class PersistenceModule {}
