import { EntityManager } from 'typeorm';

/** Whom a chase reminder goes to (the ladder's rungs for its escalation level), resolved against the directory. */
export interface ReminderAudience {
  /** The item's owner, if still active. */
  owner: boolean;
  /** The active managers of the owner's team (and, with `receivingSide`, of the receiving team). */
  teamManagers: boolean;
  /** The active safeguarding leads of both areas. */
  safeguardingLeads: boolean;
  /**
   * An item the receiving side must act on — a direct-contact item awaiting it, or a child to be
   * seen: its mailbox (and, escalated, its managers) too.
   */
  receivingSide: boolean;
}

/** Recipients of what the system sends: email addresses from the directory, never stored with the job. */
export class AudienceRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The email addresses a reminder about this transfer's item (owned by `ownerId`) goes to. */
  async reminderRecipients(transferId: string, ownerId: string | null, audience: ReminderAudience): Promise<string[]> {
    const rows: { email: string }[] = await this.manager.query(
      `SELECT p.email FROM practitioners p WHERE p.id = $1 AND p.active AND $3
       UNION SELECT m.email FROM practitioners o JOIN practitioners m ON m.team_id = o.team_id AND m.role = 'manager' AND m.active
         WHERE o.id = $1 AND $4
       UNION SELECT p.email FROM transfers t JOIN teams tm ON tm.area_id IN (t.sending_area_id, t.receiving_area_id)
         JOIN practitioners p ON p.team_id = tm.id AND p.role = 'safeguarding_lead' AND p.active WHERE t.id = $2 AND $5
       UNION SELECT tm.mailbox FROM transfers t JOIN teams tm ON tm.id = t.receiving_team_id WHERE t.id = $2 AND $6
       UNION SELECT m.email FROM transfers t JOIN practitioners m ON m.team_id = t.receiving_team_id AND m.role = 'manager' AND m.active
         WHERE t.id = $2 AND $6 AND $4`,
      [ownerId, transferId, audience.owner, audience.teamManagers, audience.safeguardingLeads, audience.receivingSide],
    );
    return rows.map((r) => r.email);
  }

  /**
   * Each notification audience of this transfer with its address now: the teams' mailboxes, the
   * accountable practitioner (also as lead), the interim lead, a sending participant, and both areas' safeguarding leads.
   */
  async notificationAudiences(
    transferId: string,
    sendingParticipantId: string | null,
  ): Promise<{ audience: string; email: string }[]> {
    return this.manager.query(
      `WITH t AS (SELECT * FROM transfers WHERE id = $1)
     SELECT 'sending_team' AS audience, tm.mailbox AS email FROM t JOIN teams tm ON tm.id = t.sending_team_id
     UNION ALL SELECT 'receiving_team', tm.mailbox FROM t JOIN teams tm ON tm.id = t.receiving_team_id
     UNION ALL SELECT a.audience, p.email FROM t JOIN practitioners p ON p.id = t.accountable_practitioner_id AND p.active
       CROSS JOIN (VALUES ('accountable_practitioner'), ('lead_practitioner')) AS a(audience)
     UNION ALL SELECT 'interim_lead', p.email FROM t JOIN practitioners p ON p.id = t.interim_lead_id AND p.active
     UNION ALL SELECT 'sending_participant', p.email FROM practitioners p WHERE p.id = $2 AND p.active
     UNION ALL SELECT 'safeguarding_leads', p.email FROM t JOIN teams tm ON tm.area_id IN (t.sending_area_id, t.receiving_area_id)
       JOIN practitioners p ON p.team_id = tm.id AND p.role = 'safeguarding_lead' AND p.active`,
      [transferId, sendingParticipantId],
    );
  }
}
