import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';

/** The repository root (where package.json is), from the compiled or the source file alike. */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const STATUS_TEXT: Record<string, { text: string; colour: string }> = {
  draft: { text: 'Draft', colour: 'grey' },
  awaiting_contact: { text: 'Awaiting contact', colour: 'yellow' },
  contact_recorded: { text: 'Contact recorded', colour: 'light-blue' },
  contact_confirmed: { text: 'Contact confirmed', colour: 'blue' },
  awaiting_conference: { text: 'Awaiting conference', colour: 'purple' },
  accepted: { text: 'Accepted', colour: 'green' },
  notification_acknowledged: { text: 'Notification acknowledged', colour: 'green' },
  returned: { text: 'Returned', colour: 'orange' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  closed: { text: 'Closed', colour: 'grey' },
};

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "20 November 2026" for a date (YYYY-MM-DD) or an instant, in London time. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : LONDON_DATE.format(date);
}

/** "20 November 2026 at 10:30am" in London time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const parts = LONDON_DATE_TIME.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replace(/\s/g, '')}`;
}

/** "awaiting_contact" → "Awaiting contact"; "NO_GP_REGISTRATION" → "No GP registration" (known acronyms kept). */
export function humanise(value: string | null | undefined): string {
  if (!value) return '';
  const words = value.toLowerCase().split(/[_\s]+/);
  const text = words.map((w) => ({ gp: 'GP', nhs: 'NHS', crc: 'CRC' })[w] ?? w).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One Nunjucks environment: the console's templates, then govuk-frontend's and MoJ Frontend's. Autoescaping on. */
export function createViewEnvironment(): nunjucks.Environment {
  const root = repositoryRoot();
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        join(root, 'apps/web/views'),
        join(root, 'node_modules/govuk-frontend/dist'),
        join(root, 'node_modules/@ministryofjustice/frontend'),
      ],
      { noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  // MoJ Frontend's timeline formats its times with this filter.
  env.addFilter('mojDate', (value: string) => formatDateTime(value));
  env.addFilter('humanise', humanise);
  env.addFilter('statusText', (status: string) => STATUS_TEXT[status]?.text ?? humanise(status));
  env.addFilter('statusColour', (status: string) => STATUS_TEXT[status]?.colour ?? 'grey');
  return env;
}
