import { localDate } from '../transfers/london-time.js';

/** The transfer-request pages' types and form helpers (pure, so the page tests need no server). */
export type Form = Record<string, string | string[] | undefined>;
export const text = (form: Form, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : (value ?? '')).trim();
};

export interface Team {
  id: string;
  areaCode: string;
  name: string;
  service: string;
}
export interface Area {
  code: string;
  name: string;
}
interface TeamRef {
  id: string;
  name: string;
  areaId: string;
  areaName: string;
}

/** A transfer request as the API shows it (GET /v1/transfer-requests/:id). */
export interface TransferRequest {
  id: string;
  reference: string;
  status: 'open' | 'will_transfer' | 'declined';
  requestedBy: { id: string; name: string };
  requesterTeam: TeamRef;
  originatingTeam: TeamRef;
  children: { givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null }[];
  howKnown: string | null;
  concern: string | null;
  dueAt: string;
  overdue: boolean;
  reminders: number;
  respondedBy: { id: string; name: string } | null;
  respondedAt: string | null;
  reason: string | null;
  transferId: string | null;
  createdAt: string;
  availableActions: { action: string; allowed: boolean; reasons?: { code: string; message: string }[] }[];
}
export interface TransferRequestSummary {
  id: string;
  reference: string;
  status: TransferRequest['status'];
  requesterTeam: TeamRef;
  originatingTeam: TeamRef;
  childCount: number;
  dueAt: string;
  overdue: boolean;
  respondedAt: string | null;
  transferId: string | null;
  createdAt: string;
}

export const REQUEST_STATUS_TEXT: Record<TransferRequest['status'], { text: string; colour: string }> = {
  open: { text: 'Awaiting an answer', colour: 'yellow' },
  will_transfer: { text: 'Will transfer', colour: 'green' },
  declined: { text: 'Declined', colour: 'red' },
};

/** One child row of the form as entered (strings, kept as typed so the page shows them back). */
export interface ChildRow {
  givenName: string;
  familyName: string;
  dob: { day: string; month: string; year: string };
  nhsNumber: string;
}
export const emptyChild = (): ChildRow => ({
  givenName: '',
  familyName: '',
  dob: { day: '', month: '', year: '' },
  nhsNumber: '',
});

/** API reason codes and fields → the new-request form's field ids. */
export function requestFieldOf(key: string): string | null {
  const byKey: Record<string, string> = {
    ORIGINATING_TEAM_IN_SAME_AREA: 'originatingTeamId',
    originatingTeamId: 'originatingTeamId',
    REQUEST_CHILD_MISSING: 'child-0-givenName',
    HOW_KNOWN_REQUIRED: 'howKnown',
    howKnown: 'howKnown',
    CONCERN_REQUIRED: 'concern',
    concern: 'concern',
  };
  if (byKey[key]) return byKey[key];
  const child = /^children\.(\d+)\.(\w+)/.exec(key);
  if (child) return child[2] === 'dateOfBirth' ? `child-${child[1]}-dob-day` : `child-${child[1]}-${child[2]}`;
  return null;
}

/** Reads the children rows of the form (childCount of them, at most 20). */
export function childRowsOf(form: Form): ChildRow[] {
  const count = Math.min(20, Math.max(1, Number(text(form, 'childCount')) || 1));
  const rows: ChildRow[] = [];
  for (let i = 0; i < count; i++) {
    const part = (f: string) => text(form, `child-${i}-${f}`);
    rows.push({
      givenName: part('givenName'),
      familyName: part('familyName'),
      dob: { day: part('dob-day'), month: part('dob-month'), year: part('dob-year') },
      nhsNumber: part('nhsNumber').replace(/\s+/g, ''),
    });
  }
  return rows;
}

/** The form's own checks before the API is asked (GOV.UK error messages, each linked to its field). */
export function requestFormChecks(form: Form, rows: ChildRow[]): [string, string | null][] {
  const checks: [string, string | null][] = [
    ['originatingTeamId', text(form, 'originatingTeamId') ? null : 'Select the team that knows the family'],
  ];
  rows.forEach((c, i) => {
    const n = rows.length > 1 ? ` for child ${i + 1}` : '';
    checks.push([`child-${i}-givenName`, c.givenName ? null : `Enter the given name${n}`]);
    checks.push([`child-${i}-familyName`, c.familyName ? null : `Enter the family name${n}`]);
    const anyDob = c.dob.day || c.dob.month || c.dob.year;
    checks.push([
      `child-${i}-dob-day`,
      anyDob && !localDate(c.dob.day, c.dob.month, c.dob.year)
        ? `The date of birth${n} must be a real date, like 1 7 2026`
        : null,
    ]);
    checks.push([
      `child-${i}-nhsNumber`,
      c.nhsNumber && !/^\d{10}$/.test(c.nhsNumber) ? `The NHS number${n} must be 10 digits` : null,
    ]);
  });
  checks.push(['howKnown', text(form, 'howKnown') ? null : 'Enter how you know the family is known to that area']);
  checks.push(['concern', text(form, 'concern') ? null : 'Enter what the concern is']);
  return checks;
}
