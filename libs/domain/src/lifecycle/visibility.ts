/**
 * Who may see a transfer — written once, as data. `canSee` evaluates the rule here;
 * libs/persistence/src/visibility.ts compiles the same description into SQL for lists, monitoring
 * and the digest. A property test (test/visibility.int-spec.ts) checks the two agree.
 *
 * - the sending team: always; the sending area's safeguarding leads: always;
 * - the receiving team and the receiving area's safeguarding leads: once it has been initiated
 *   (so a draft, or a transfer cancelled as a draft, never was visible to them);
 * - admins: never (they have no access to family data); anyone else: never. The system: always.
 *
 * Monitoring (counts, references and teams, never family data) is a view of the same grants:
 * managers monitor through their team, safeguarding leads through their area, admins everything,
 * practitioners nothing.
 */
import type { PractitionerRole, TransferStatus } from '../vocabulary.js';
import type { Actor, ActorRole } from './state.js';

/** What visibility depends on (a TransferState, or a summary row). */
export interface VisibilityFacts {
  readonly sendingTeamId: string;
  readonly sendingAreaId: string;
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  readonly initiatedAt: Date | null;
  readonly status?: TransferStatus;
}

/** An actor sees through their team (any role with one), or through their area (area-wide roles). */
export type VisibilityVia = 'team' | 'area';
export type TransferSide = 'sending' | 'receiving';

export interface VisibilityGrant {
  readonly via: VisibilityVia;
  readonly side: TransferSide;
  /** Visible from the transfer's creation, or only once it has been initiated. */
  readonly from: 'creation' | 'initiation';
}

/** THE rule: the one description `canSee`, the SQL predicates and the digest are all built from. */
export const VISIBILITY = {
  /** Roles that see every transfer. */
  all: ['system'] as readonly ActorRole[],
  /** Roles that see no transfer (admins have no access to family data). */
  none: ['admin'] as readonly ActorRole[],
  /** Roles that also see through their area. */
  areaWide: ['safeguarding_lead'] as readonly ActorRole[],
  /** Any one grant is enough. */
  grants: [
    { via: 'team', side: 'sending', from: 'creation' },
    { via: 'area', side: 'sending', from: 'creation' },
    { via: 'team', side: 'receiving', from: 'initiation' },
    { via: 'area', side: 'receiving', from: 'initiation' },
  ] as readonly VisibilityGrant[],
} as const;

/** The VisibilityFacts field a condition compares. */
export type VisibilityField = 'sendingTeamId' | 'sendingAreaId' | 'receivingTeamId' | 'receivingAreaId';

/** One way a given actor sees a transfer: `field` equals `equals` (and, if so, it has been initiated). */
export interface VisibilityCondition {
  readonly side: TransferSide;
  readonly via: VisibilityVia;
  readonly field: VisibilityField;
  readonly equals: string;
  readonly initiated: boolean;
}

/** The rule resolved for one actor: everything, or any one of these conditions (none: nothing). */
export type ActorVisibility =
  { readonly all: true } | { readonly all: false; readonly conditions: readonly VisibilityCondition[] };

/**
 * What the rule means for this actor; `grants` narrows it (e.g. to one side of a list's direction,
 * or to the grants monitoring uses).
 */
export function visibilityFor(actor: Actor, grants: readonly VisibilityGrant[] = VISIBILITY.grants): ActorVisibility {
  if (VISIBILITY.all.includes(actor.role)) return { all: true };
  if (VISIBILITY.none.includes(actor.role)) return { all: false, conditions: [] };
  const conditions: VisibilityCondition[] = [];
  for (const g of grants) {
    const equals = g.via === 'team' ? actor.teamId : VISIBILITY.areaWide.includes(actor.role) ? actor.areaId : null;
    if (equals === null) continue;
    const field = `${g.side}${g.via === 'team' ? 'Team' : 'Area'}Id` as VisibilityField;
    conditions.push({ side: g.side, via: g.via, field, equals, initiated: g.from === 'initiation' });
  }
  return { all: false, conditions };
}

/** Does the transfer meet the actor's visibility (as resolved by visibilityFor / monitoringScopeFor)? */
export function isWithin(v: ActorVisibility, t: VisibilityFacts): boolean {
  return v.all || v.conditions.some((c) => t[c.field] === c.equals && (!c.initiated || t.initiatedAt != null));
}

/** May this actor see the transfer (and its family data)? See the rule above. */
export function canSee(actor: Actor, t: VisibilityFacts): boolean {
  return isWithin(visibilityFor(actor), t);
}

/** Through what each role monitors: every transfer, its team's or area's grants, or not at all. */
export const MONITORING_VIA: Readonly<Record<PractitionerRole, 'all' | VisibilityVia | null>> = {
  admin: 'all',
  manager: 'team',
  safeguarding_lead: 'area',
  practitioner: null,
};

/** The transfers this person may monitor, or null when they may not monitor at all. */
export function monitoringScopeFor(
  actor: Actor,
  sides: readonly TransferSide[] = ['sending', 'receiving'],
): ActorVisibility | null {
  if (actor.role === 'system') return { all: true };
  const via = MONITORING_VIA[actor.role];
  if (via === null) return null;
  if (via === 'all') return { all: true };
  return visibilityFor(
    actor,
    VISIBILITY.grants.filter((g) => g.via === via && sides.includes(g.side)),
  );
}
