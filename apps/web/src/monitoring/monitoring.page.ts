import { AREA_CODE, CHASE_KINDS, ESCALATION_LEVELS, RISK_FLAG_TITLES, UNCONFIRMED_STATUSES } from '@fh/domain';
import type { RiskFlagCode } from '@fh/domain';
import { formatDate, humanise } from '../view.service.js';
import { barChart, COLOURS } from './charts.js';

/** GET /v1/monitoring/summary (API.md → Monitoring). */
export interface MonitoringSummary {
  asOf: string;
  countsByStatus: Record<string, number>;
  unconfirmed: number;
  unconfirmedOverdue: number;
  /** Child protection (issue 13 item 1): accepted in, waiting for the conference's written outcome. */
  awaitingConference?: number;
  /** Transfer-in conferences not held by their due date. */
  conferencesOverdue?: number;
  openChaseItems: Record<string, Record<string, number>>;
  failedEmails: number;
  unconfirmedByWorkingDaysWaiting?: { from: number; to: number | null; count: number }[];
  oldestUnconfirmed: {
    id: string;
    reference: string;
    initiatedAt: string;
    contactDueAt: string;
    workingDaysWaiting: number;
  } | null;
}

/** One row of GET /v1/monitoring/unconfirmed. */
export interface UnconfirmedItem {
  id: string;
  reference: string;
  status: string;
  sending: { area: string; teamId: string; teamName: string };
  receiving: { area: string; teamId: string; teamName: string };
  initiatedAt: string;
  contactDueAt: string;
  workingDaysWaiting: number;
  overdue: boolean;
  escalationLevel: number;
  criticalFlags: string[];
}

export interface Filters {
  area: string;
  team: string;
  overdue: boolean;
  cursor: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR = /^[A-Za-z0-9_=-]{1,200}$/;
const first = (value: unknown) =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';

/** The filter form's query string, with anything malformed left out (a bad filter never becomes an error page). */
export function readFilters(query: Record<string, unknown>): Filters {
  const area = first(query.area).trim();
  const team = first(query.team).trim();
  const cursor = first(query.cursor).trim();
  return {
    area: AREA_CODE.test(area) ? area : '',
    team: UUID.test(team) ? team : '',
    overdue: first(query.overdue) === 'true',
    cursor: CURSOR.test(cursor) ? cursor : '',
  };
}

export function queryString(filters: Partial<Filters>): string {
  const params = new URLSearchParams();
  if (filters.area) params.set('area', filters.area);
  if (filters.team) params.set('team', filters.team);
  if (filters.overdue) params.set('overdue', 'true');
  if (filters.cursor) params.set('cursor', filters.cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const STATUS_WORDS: Record<string, string> = {
  awaiting_contact: 'Awaiting contact',
  contact_recorded: 'Contact recorded, to check back',
  contact_confirmed: 'Contact confirmed, to accept',
};
const KIND_WORDS: Record<string, string> = {
  gp_registration: 'GP registration',
  appointment: 'Appointments',
  agreed_action: 'Agreed actions',
  transfer_in_conference: 'Transfer-in conferences',
  direct_contact: 'Direct contact',
};
const LEVEL_WORDS = ['Owner reminded', 'Escalated to manager', 'Escalated to safeguarding leads'];
const LEVEL_COLOURS = [COLOURS.blue, COLOURS.purple, COLOURS.red];

const bucketLabel = (b: { from: number; to: number | null }) =>
  b.to === null
    ? `More than ${b.from - 1} working days`
    : b.from === b.to
      ? `${b.from} working days`
      : `${b.from} to ${b.to} working days`;

/** The summary's charts and tables, and the list's rows, for monitoring/index.njk. */
export function monitoringPage(summary: MonitoringSummary, items: UnconfirmedItem[]) {
  const byStatus = UNCONFIRMED_STATUSES.map((s) => ({ label: STATUS_WORDS[s], value: summary.countsByStatus[s] ?? 0 }));
  const buckets = (summary.unconfirmedByWorkingDaysWaiting ?? []).map((b) => ({
    label: bucketLabel(b),
    value: b.count,
  }));
  const kinds = [
    ...CHASE_KINDS.filter((k) => summary.openChaseItems[k]),
    ...Object.keys(summary.openChaseItems).filter((k) => !(CHASE_KINDS as readonly string[]).includes(k)),
  ];
  const chaseBars = kinds.flatMap((kind) =>
    ESCALATION_LEVELS.map((level) => ({
      group: KIND_WORDS[kind] ?? humanise(kind),
      label: LEVEL_WORDS[level],
      value: summary.openChaseItems[kind]?.[String(level)] ?? 0,
      colour: LEVEL_COLOURS[level],
    })),
  );
  const one = { one: 'transfer', many: 'transfers' };
  const charts = [
    {
      chart: barChart('chart-status', 'Transfers between two areas, by status', byStatus, one),
      head: ['Status', 'Transfers'],
      rows: byStatus.map((b) => [b.label, b.value]),
    },
    {
      chart: barChart(
        'chart-waiting',
        'Transfers between two areas, by working days waiting since they were sent',
        buckets,
        one,
      ),
      head: ['Waiting', 'Transfers'],
      rows: buckets.map((b) => [b.label, b.value]),
    },
    {
      chart: barChart('chart-chase', 'Open chase items, by kind and escalation level', chaseBars, {
        one: 'open item',
        many: 'open items',
      }),
      head: ['Kind', ...LEVEL_WORDS, 'All'],
      rows: kinds.map((kind) => {
        const levels = ESCALATION_LEVELS.map((level) => summary.openChaseItems[kind]?.[String(level)] ?? 0);
        return [KIND_WORDS[kind] ?? humanise(kind), ...levels, levels.reduce((a, b) => a + b, 0)];
      }),
    },
  ];
  const rows = items.map((t) => ({
    ...t,
    flags: t.criticalFlags.map((code) => RISK_FLAG_TITLES[code as RiskFlagCode]?.title ?? humanise(code)),
    escalation:
      t.escalationLevel > 0 ? (LEVEL_WORDS[t.escalationLevel] ?? `Level ${t.escalationLevel}`) : 'Not escalated',
    due: formatDate(t.contactDueAt),
  }));
  return { charts, rows };
}
