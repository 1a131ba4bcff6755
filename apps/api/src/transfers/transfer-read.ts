import type { Actor, ClockPolicy } from '@fh/domain';
import type { TransferRecord } from '@fh/persistence';
import type { EntityManager } from 'typeorm';
import type { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { showsConfidentialAddress, transferView } from './transfer.view.js';
import type { TransferView } from './transfer.view.js';

/**
 * The transfer resource as this caller gets it — from a read, a create or any transition — and, when
 * it shows a confidential address, that reading audited as an event of its own
 * (`transfer.address_read`, issue 13 item 5) in the caller's transaction. `clocks` is the configured
 * clock policy (AppConfig.clocks), so `availableActions` dry-runs the same decide() the commands run.
 */
export async function shownTransfer(
  audited: Audited,
  manager: EntityManager,
  ctx: RequestContext,
  record: TransferRecord,
  now: Date,
  actor: Actor,
  clocks: ClockPolicy,
): Promise<TransferView> {
  if (showsConfidentialAddress(record, actor)) {
    const id = record.transfer.id;
    await audited.view(manager, ctx, {
      action: 'transfer.address_read',
      entityType: 'transfer',
      entityId: id,
      transferId: id,
    });
  }
  return transferView(record, now, actor, clocks);
}
