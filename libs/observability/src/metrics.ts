import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry per process, with Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Who may scrape /metrics: with a token configured (METRICS_TOKEN), only a request carrying it as
 * `Authorization: Bearer …` (compared in constant time); without one, anyone outside production and
 * nobody in production — queue depths and per-area counts are not for the open network.
 */
export function metricsAccess(
  token: string | undefined,
  production: boolean,
  authorization: string | string[] | undefined,
): 'allowed' | 'unauthorized' | 'closed' {
  if (!token) return production ? 'closed' : 'allowed';
  const header = typeof authorization === 'string' ? authorization : '';
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header.trim());
  const given = createHash('sha256')
    .update(match ? match[1] : '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return match && timingSafeEqual(given, expected) ? 'allowed' : 'unauthorized';
}
