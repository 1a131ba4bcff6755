import type { Practitioner } from '../common/web-request.js';

/** A transfer as the API's list answers it (no family details). */
export interface TransferSummary {
  id: string;
  reference: string;
  status: string;
  sending: { area: string; teamId: string; teamName: string };
  receiving: { area: string; teamId: string; teamName: string };
  accountablePractitioner: { id: string; name: string; teamId: string };
  riskFlags: { code: string; severity: string }[];
  contactDueAt: string | null;
  overdue: boolean;
  moveDate: string;
}

export interface ChaseItem {
  id: string;
  transferId: string;
  kind: string;
  /** The child or adult it is about, where it is about one (a child to be seen). */
  memberId?: string | null;
  status: 'open' | 'closed';
  /** null: a receiving-side item (a child to be seen) the receiving team holds before anyone there is named. */
  ownerId: string | null;
  nextChaseAt: string | null;
  escalationLevel: number;
  reminders: number;
}

interface TransferDetail {
  id: string;
  status: string;
  riskFlags: { code: string; severity: string; summary: string; safeguardingAcknowledgement: unknown }[];
  directContact: { sendingPractitionerId?: string; confirmation?: unknown } | null;
}

const OPEN = ['awaiting_contact', 'contact_recorded', 'contact_confirmed', 'awaiting_conference', 'returned', 'draft'];
const BEFORE_ACCEPT = ['awaiting_contact', 'contact_recorded', 'contact_confirmed'];
/** How many transfers' chase items and flags are looked at for one page (each costs an API call). */
const DETAIL_LIMIT = 20;

/** What an incoming transfer needs next, in a few words. */
export function nextStep(t: TransferSummary, side: 'incoming' | 'outgoing'): string {
  const incoming: Record<string, string> = {
    awaiting_contact: 'Speak to the sending practitioner and record the conversation',
    contact_recorded: 'Waiting for the sending side to check back',
    contact_confirmed: 'Accept the transfer',
    awaiting_conference: 'Hold the transfer-in conference and record its outcome',
    accepted: 'Close the open chase items',
  };
  const outgoing: Record<string, string> = {
    draft: 'Finish and send the transfer',
    awaiting_contact: 'Waiting for the receiving team to make contact',
    contact_recorded: 'Check back the record of the conversation',
    contact_confirmed: 'Waiting for the receiving team to accept',
    awaiting_conference: 'Confirm the conference’s written outcome when you have it',
    returned: 'Returned: correct it and send again, or cancel',
  };
  return (side === 'incoming' ? incoming : outgoing)[t.status] ?? '';
}

/**
 * The Your work page's sections from the API's lists: incoming and outgoing transfers still open,
 * check-backs waiting for this practitioner, critical flags waiting for a safeguarding lead's
 * advice (leads only), and this practitioner's chase items that are due.
 */
export async function yourWork(
  me: Practitioner,
  incomingAll: TransferSummary[],
  outgoingAll: TransferSummary[],
  fetchers: { transfer: (id: string) => Promise<unknown>; chaseItems: (id: string) => Promise<unknown> },
  now = new Date(),
) {
  const incoming = incomingAll
    .filter((t) => OPEN.includes(t.status) || t.status === 'accepted')
    .map((t) => ({ ...t, next: nextStep(t, 'incoming') }));
  const outgoing = outgoingAll
    .filter((t) => OPEN.includes(t.status))
    .map((t) => ({ ...t, next: nextStep(t, 'outgoing') }));
  const checkBacks = outgoingAll.filter(
    (t) => t.status === 'contact_recorded' && (t.accountablePractitioner.id === me.id || me.role !== 'practitioner'),
  );

  const all = [...incomingAll, ...outgoingAll.filter((t) => !incomingAll.some((i) => i.id === t.id))];
  const flagsWaiting: { transfer: TransferSummary; flags: { code: string; summary: string }[] }[] = [];
  if (me.role === 'safeguarding_lead') {
    const candidates = all
      .filter((t) => BEFORE_ACCEPT.includes(t.status) && t.riskFlags.some((f) => f.severity === 'critical'))
      .slice(0, DETAIL_LIMIT);
    const details = (await Promise.all(candidates.map((t) => fetchers.transfer(t.id)))) as TransferDetail[];
    details.forEach((detail, i) => {
      const flags = detail.riskFlags
        .filter((f) => f.severity === 'critical' && !f.safeguardingAcknowledgement)
        .map((f) => ({ code: f.code, summary: f.summary }));
      if (flags.length) flagsWaiting.push({ transfer: candidates[i], flags });
    });
  }

  const mine = all
    .filter((t) => t.accountablePractitioner.id === me.id && !['cancelled', 'closed', 'draft'].includes(t.status))
    .slice(0, DETAIL_LIMIT);
  const chaseLists = (await Promise.all(mine.map((t) => fetchers.chaseItems(t.id)))) as ChaseItem[][];
  const chaseDue = chaseLists
    .flatMap((items, i) =>
      items
        .filter((c) => c.status === 'open' && c.nextChaseAt && new Date(c.nextChaseAt) <= now)
        .map((c) => ({ ...c, transfer: mine[i] })),
    )
    .sort((a, b) => new Date(a.nextChaseAt!).getTime() - new Date(b.nextChaseAt!).getTime());

  const overdue = [...incoming, ...outgoing].filter((t) => t.overdue);
  return { incoming, outgoing, checkBacks, flagsWaiting, chaseDue, overdue };
}
