import { Foundation1764201600000 } from './1764201600000-foundation.js';
import { Transfers1764288000000 } from './1764288000000-transfers.js';
import { Packets1764374400000 } from './1764374400000-packets.js';
import { Notifications1764460800000 } from './1764460800000-notifications.js';
import { Monitoring1764547200000 } from './1764547200000-monitoring.js';
import { WebSessions1764720000000 } from './1764720000000-web-sessions.js';
import { PractitionerIdentities1764806400000 } from './1764806400000-practitioner-identities.js';
import { EmailWithdrawn1764892800000 } from './1764892800000-email-withdrawn.js';
import { AuditClientRequestId1765040400000 } from './1765040400000-audit-client-request-id.js';
import { DirectoryNotify1765126800000 } from './1765126800000-directory-notify.js';
import { PractitionerChanges1765130400000 } from './1765130400000-practitioner-changes.js';
import { AppRole1765134000000 } from './1765134000000-app-role.js';
import { AdminSessions1765216812345 } from './1765216812345-admin-sessions.js';
import { OutboxEmailId1765303200000 } from './1765303200000-outbox-email-id.js';
import { EmailClaims1765306800000 } from './1765306800000-email-claims.js';
import { TransferKeys1765330000000 } from './1765330000000-transfer-keys.js';
import { SealedFamilyColumns1765330000100 } from './1765330000100-sealed-family-columns.js';
import { Retention1765340000000 } from './1765340000000-retention.js';
import { AdviceKept1765350000000 } from './1765350000000-advice-kept.js';
import { TransferInConference1765360000000 } from './1765360000000-transfer-in-conference.js';
import { HostNotifications1765370000000 } from './1765370000000-host-notifications.js';
import { AppointmentOutcomes1765390000000 } from './1765390000000-appointment-outcomes.js';
import { ChildSeen1765400000000 } from './1765400000000-child-seen.js';
import { TransferRequests1765420000000 } from './1765420000000-transfer-requests.js';
import { BruisingProtocol1765430000000 } from './1765430000000-bruising-protocol.js';
import { FamilyNotReached1765440000000 } from './1765440000000-family-not-reached.js';
import { LawfulBasis1765450000000 } from './1765450000000-lawful-basis.js';
import { ForeignKeyIndexes1765460000000 } from './1765460000000-foreign-key-indexes.js';

/** Every migration, oldest first. Listed explicitly so the compiled app and ts-jest load the same set. */
export const MIGRATIONS = [
  Foundation1764201600000,
  Transfers1764288000000,
  Packets1764374400000,
  Notifications1764460800000,
  Monitoring1764547200000,
  WebSessions1764720000000,
  PractitionerIdentities1764806400000,
  EmailWithdrawn1764892800000,
  AuditClientRequestId1765040400000,
  DirectoryNotify1765126800000,
  PractitionerChanges1765130400000,
  AppRole1765134000000,
  AdminSessions1765216812345,
  OutboxEmailId1765303200000,
  EmailClaims1765306800000,
  TransferKeys1765330000000,
  SealedFamilyColumns1765330000100,
  Retention1765340000000,
  AdviceKept1765350000000,
  TransferInConference1765360000000,
  HostNotifications1765370000000,
  AppointmentOutcomes1765390000000,
  ChildSeen1765400000000,
  TransferRequests1765420000000,
  BruisingProtocol1765430000000,
  FamilyNotReached1765440000000,
  LawfulBasis1765450000000,
  ForeignKeyIndexes1765460000000,
];
