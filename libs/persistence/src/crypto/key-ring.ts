import { developmentKeyRing } from '@fh/config';
import type { DataKeyRing } from '@fh/config';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The key ring each DataSource was made with (createDataSource's `dataKeys`, the apps' AppConfig).
 * A DataSource made without one (tests, scripts outside production) uses the public development
 * ring; configuration refuses to start production without DATA_KEY_RING, so the apps always have one.
 */
const rings = new WeakMap<DataSource, DataKeyRing>();
let development: DataKeyRing | null = null;

export function useDataKeyRing(dataSource: DataSource, ring: DataKeyRing): void {
  rings.set(dataSource, ring);
}

export function dataKeyRingOf(manager: EntityManager): DataKeyRing {
  return rings.get(manager.connection) ?? (development ??= developmentKeyRing());
}
