/** What happened: the event each successful decision records (the audit action; the key of EFFECTS). */
export const TRANSFER_EVENTS = [
  'transfer.created',
  'transfer.updated',
  'transfer.initiated',
  'contact.recorded',
  'contact.confirmed',
  'contact.disputed',
  'flag.acknowledged',
  'transfer.accepted',
  'notification.acknowledged',
  'transfer.returned',
  'transfer.cancelled',
  'transfer.closed',
  'transfer.reassigned',
] as const;
export type TransferEvent = (typeof TRANSFER_EVENTS)[number];
