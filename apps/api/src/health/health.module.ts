import { Global, Module } from '@nestjs/common';
import { createMetricsRegistry } from '@fh/observability';
import { HealthController, METRICS_REGISTRY, ReadinessProbe } from './health.controller.js';

/** Global: every feature may count what happens in it on the one registry /metrics serves. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [ReadinessProbe, { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry('api') }],
  exports: [METRICS_REGISTRY],
})
export class HealthModule {}
