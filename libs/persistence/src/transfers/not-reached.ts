/**
 * The family not reached (issue 14 item 2): a transfer's not-reached routes (not_reached_routes),
 * the latest one read with the transfer and written from the route's events. The attempts, the
 * checklist, the alert's reference (or the reason for none) and how the family was found are sealed
 * under the transfer's data key (crypto/family-columns.ts).
 */
import type { FamilyNotReachedState, LocateCheckState, NationalAlertDecision, NotReachedAttempt } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import type { TransferCipher } from '../crypto/cipher.js';

/** A route as stored: the domain's state, its row's id and the names of who acted. */
export type NotReachedRecord = FamilyNotReachedState & { readonly id: string };

/** The transfer's latest route as one JSON value (null when it never had one); `t` is the transfer. */
export const LATEST_ROUTE = `(SELECT json_build_object('id', r.id, 'openedAt', r.opened_at, 'openedById', r.opened_by_id,
    'attempts', r.attempts, 'checks', r.checks, 'nationalAlertDueAt', r.national_alert_due_at,
    'nationalAlertRaised', r.national_alert_raised, 'nationalAlertDetail', r.national_alert_detail,
    'nationalAlertDecidedAt', r.national_alert_decided_at, 'nationalAlertDecidedById', r.national_alert_decided_by_id,
    'foundOn', r.found_on, 'foundHow', r.found_how, 'foundById', r.found_by_id)
  FROM not_reached_routes r WHERE r.transfer_id = t.id ORDER BY r.opened_at DESC, r.id DESC LIMIT 1)`;

/** The route as LATEST_ROUTE reads it, still sealed. */
export interface RouteRow {
  id: string;
  openedAt: string;
  openedById: string;
  attempts: string;
  checks: string;
  nationalAlertDueAt: string;
  nationalAlertRaised: boolean | null;
  nationalAlertDetail: string | null;
  nationalAlertDecidedAt: string | null;
  nationalAlertDecidedById: string | null;
  foundOn: string | null;
  foundHow: string | null;
  foundById: string | null;
}

type StoredCheck = Omit<LocateCheckState, 'closedAt'> & { closedAt: string | null };

/** The route opened: its sealed columns opened, its times as Dates. */
export function openRoute(c: TransferCipher, row: RouteRow | null): NotReachedRecord | null {
  if (!row) return null;
  const attempts = c.openJson<NotReachedAttempt[]>('not_reached_routes.attempts', row.attempts) ?? [];
  const checks = (c.openJson<StoredCheck[]>('not_reached_routes.checks', row.checks) ?? []).map(
    (x): LocateCheckState => ({ ...x, closedAt: x.closedAt === null ? null : new Date(x.closedAt) }),
  );
  const detail = c.open('not_reached_routes.national_alert_detail', row.nationalAlertDetail);
  const decided =
    row.nationalAlertRaised === null || row.nationalAlertDecidedAt === null
      ? null
      : { decidedAt: new Date(row.nationalAlertDecidedAt), decidedById: row.nationalAlertDecidedById ?? '' };
  const nationalAlert: NationalAlertDecision | null =
    decided === null
      ? null
      : row.nationalAlertRaised
        ? { raised: true, reference: detail ?? '', ...decided }
        : { raised: false, reason: detail ?? '', ...decided };
  return {
    id: row.id,
    openedAt: new Date(row.openedAt),
    openedById: row.openedById,
    attempts,
    checks,
    nationalAlertDueAt: new Date(row.nationalAlertDueAt),
    nationalAlert,
    found:
      row.foundOn === null
        ? null
        : {
            on: row.foundOn,
            how: c.open('not_reached_routes.found_how', row.foundHow) ?? '',
            recordedById: row.foundById ?? '',
          },
  };
}

/**
 * Writes the route a decision reached: a new row when the report `opened` one, else the open row
 * (the one not yet found) as it now is — its attempts, checks, the alert decision, the family found.
 */
export async function saveRoute(
  manager: EntityManager,
  c: TransferCipher,
  transferId: string,
  route: FamilyNotReachedState,
  opened: boolean,
): Promise<void> {
  const alert = route.nationalAlert;
  const values = [
    transferId,
    c.sealJson('not_reached_routes.attempts', route.attempts),
    c.sealJson('not_reached_routes.checks', route.checks),
    alert === null ? null : alert.raised,
    alert === null
      ? null
      : c.seal('not_reached_routes.national_alert_detail', alert.raised ? alert.reference : alert.reason),
    alert?.decidedAt ?? null,
    alert?.decidedById ?? null,
    route.found?.on ?? null,
    route.found ? c.seal('not_reached_routes.found_how', route.found.how) : null,
    route.found?.recordedById ?? null,
  ];
  if (opened) {
    await manager.query(
      `INSERT INTO not_reached_routes (transfer_id, attempts, checks, national_alert_raised, national_alert_detail,
         national_alert_decided_at, national_alert_decided_by_id, found_on, found_how, found_by_id, found_at,
         opened_at, opened_by_id, national_alert_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $8::date IS NULL THEN NULL ELSE now() END, $11, $12, $13)`,
      [...values, route.openedAt, route.openedById, route.nationalAlertDueAt],
    );
    return;
  }
  const [, updated] = (await manager.query(
    `UPDATE not_reached_routes SET attempts = $2, checks = $3, national_alert_raised = $4, national_alert_detail = $5,
       national_alert_decided_at = $6, national_alert_decided_by_id = $7, found_on = $8, found_how = $9, found_by_id = $10,
       found_at = CASE WHEN $8::date IS NULL THEN NULL ELSE now() END, updated_at = now()
     WHERE transfer_id = $1 AND found_at IS NULL`,
    values,
  )) as [unknown, number];
  if (updated !== 1) throw new Error(`transfer ${transferId}: no open not-reached route to write`);
}
