import { randomUUID } from 'node:crypto';
import type { NotifyAudience, NotifyMessage, RiskFlagCode } from '@fh/domain';
import { addToOutbox, AudienceRepository, EmailRepository, TransferRequestRepository } from '@fh/persistence';
import type { EmailFactsRow } from '@fh/persistence';
import { EntityManager } from 'typeorm';
import {
  composeNotification,
  composeReminder,
  composeRequestEmail,
  composeRequestReminder,
  consoleLinks,
  requestLink,
} from './templates.js';
import type { ComposedEmail, EmailFacts, ReminderKind, RequestEmailFacts, RequestMessage } from './templates.js';

export interface MailSettings {
  /** The console's public URL (WEB_BASE_URL): links in emails open its pages. */
  webBaseUrl: string;
  /** The sender address; its domain names our Message-IDs. */
  mailFrom: string;
}

/**
 * One email row per recipient, written in the caller's transaction with an outbox row that asks the
 * worker to send it. The Message-ID is fixed now, so a retried send is recognisable as the same
 * message. `dedupeKey` makes "this message to this person for this reason" happen at most once.
 */
export async function queueEmail(
  manager: EntityManager,
  settings: MailSettings,
  row: {
    transferId: string | null;
    chaseItemId?: string | null;
    kind: string;
    recipient: string;
    dedupeKey: string;
    email: ComposedEmail;
  },
): Promise<string | null> {
  const id = randomUUID();
  const domain = settings.mailFrom.split('@')[1] ?? 'family-handover.local';
  const inserted = await new EmailRepository(manager).insert({
    id,
    transferId: row.transferId,
    chaseItemId: row.chaseItemId ?? null,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.email.subject,
    body: row.email.text,
    messageId: `<${id}@${domain}>`,
    dedupeKey: row.dedupeKey,
  });
  if (!inserted) return null;
  await addToOutbox(manager, 'email.send', { emailId: id });
  return id;
}

/** The reference, teams, areas and deadline that emails may name (nothing about the family). */
export async function emailFactsFor(
  manager: EntityManager,
  settings: MailSettings,
  transferId: string,
  flagCodes?: readonly RiskFlagCode[],
): Promise<EmailFacts & { version: number }> {
  const row = await new EmailRepository(manager).factsOf(transferId);
  return { ...row, link: consoleLinks.transfer(settings.webBaseUrl, transferId), flagCodes };
}

/** Who each audience is, for this transfer, now. */
async function recipientsOf(
  manager: EntityManager,
  transferId: string,
  audiences: readonly NotifyAudience[],
  sendingParticipantId: string | null,
): Promise<string[]> {
  const rows = await new AudienceRepository(manager).notificationAudiences(transferId, sendingParticipantId);
  const wanted = new Set(audiences);
  return [
    ...new Set(rows.filter((r) => wanted.has(r.audience as NotifyAudience)).map((r) => r.email.toLowerCase())),
  ].sort();
}

/** A transition's notification: one email per recipient of the named audiences. */
export async function queueNotification(
  manager: EntityManager,
  settings: MailSettings,
  transferId: string,
  notification: {
    message: NotifyMessage;
    to: readonly NotifyAudience[];
    flagCodes?: readonly RiskFlagCode[];
    sendingParticipantId: string | null;
  },
  /**
   * What the caller already read about the transfer (its reference, teams, areas, new version and
   * contact deadline): a transition names them from its own read instead of querying them again.
   */
  known?: EmailFactsRow,
): Promise<string[]> {
  const facts = known
    ? { ...known, link: consoleLinks.transfer(settings.webBaseUrl, transferId), flagCodes: notification.flagCodes }
    : await emailFactsFor(manager, settings, transferId, notification.flagCodes);
  const email = composeNotification(notification.message, facts);
  const recipients = await recipientsOf(manager, transferId, notification.to, notification.sendingParticipantId);
  const ids: string[] = [];
  for (const recipient of recipients) {
    const id = await queueEmail(manager, settings, {
      transferId,
      kind: notification.message,
      recipient,
      dedupeKey: `notify:${transferId}:v${facts.version}:${notification.message}:${recipient}`,
      email,
    });
    if (id) ids.push(id);
  }
  return ids;
}

/** Reminder number N of chase item X to each recipient: at most once, ever (the dedupe key). */
export async function queueReminder(
  manager: EntityManager,
  settings: MailSettings,
  reminder: {
    chaseItemId: string;
    transferId: string;
    kind: ReminderKind;
    reminderNumber: number;
    escalationLevel: number;
    recipients: readonly string[];
  },
  /** The transfer's email facts when the caller already has them (a sweep chasing several of its items). */
  known?: EmailFacts,
): Promise<string[]> {
  const facts = known ?? (await emailFactsFor(manager, settings, reminder.transferId));
  // The link opens the transfer's page at this chase item.
  const link = consoleLinks.chaseItem(settings.webBaseUrl, reminder.transferId, reminder.chaseItemId);
  const email = composeReminder(reminder.kind, reminder.reminderNumber, reminder.escalationLevel, { ...facts, link });
  const ids: string[] = [];
  for (const recipient of [...new Set(reminder.recipients.map((r) => r.toLowerCase()))].sort()) {
    const id = await queueEmail(manager, settings, {
      transferId: reminder.transferId,
      chaseItemId: reminder.chaseItemId,
      kind: `reminder.${reminder.kind}`,
      recipient,
      dedupeKey: `reminder:${reminder.chaseItemId}:${reminder.reminderNumber}:${recipient}`,
      email,
    });
    if (id) ids.push(id);
  }
  return ids;
}

/** What emails about this request may say, with the link to its page. */
export async function requestEmailFactsFor(
  manager: EntityManager,
  settings: MailSettings,
  requestId: string,
): Promise<RequestEmailFacts> {
  const row = await new TransferRequestRepository(manager).emailFacts(requestId);
  return { ...row, link: requestLink(settings.webBaseUrl, requestId) };
}

/** A transfer request's message to each recipient, once (the dedupe key names the request and message). */
export async function queueRequestEmail(
  manager: EntityManager,
  settings: MailSettings,
  requestId: string,
  message: RequestMessage,
  recipients: readonly string[],
): Promise<string[]> {
  const email = composeRequestEmail(message, await requestEmailFactsFor(manager, settings, requestId));
  const ids: string[] = [];
  for (const recipient of recipients) {
    const id = await queueEmail(manager, settings, {
      transferId: null,
      kind: message,
      recipient,
      dedupeKey: `${message}:${requestId}:${recipient}`,
      email,
    });
    if (id) ids.push(id);
  }
  return ids;
}

/** Reminder N about an unanswered request to each recipient: at most once, ever. */
export async function queueRequestReminder(
  manager: EntityManager,
  settings: MailSettings,
  reminder: { requestId: string; reminderNumber: number; escalationLevel: number; recipients: readonly string[] },
): Promise<string[]> {
  const facts = await requestEmailFactsFor(manager, settings, reminder.requestId);
  const email = composeRequestReminder(reminder.reminderNumber, reminder.escalationLevel, facts);
  const ids: string[] = [];
  for (const recipient of reminder.recipients) {
    const id = await queueEmail(manager, settings, {
      transferId: null,
      kind: 'reminder.transfer_request',
      recipient,
      dedupeKey: `reminder:request:${reminder.requestId}:${reminder.reminderNumber}:${recipient}`,
      email,
    });
    if (id) ids.push(id);
  }
  return ids;
}
