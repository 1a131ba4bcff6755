import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { Clock, isWithin, isWorkingDay, londonDate, monitoringScopeFor } from '@fh/domain';
import { digestRecipients, unconfirmedForDigest } from '@fh/persistence';
import { composeDigest, consoleLinks, queueEmail } from '@fh/notifications';
import type { MailSettings } from '@fh/notifications';
import { DataSource } from 'typeorm';

/**
 * Each working morning: to every receiving team's managers, the transfers awaiting their team's
 * contact; to every area's safeguarding leads, those into and out of their area. Counts and
 * references only. Once per recipient per day, however often the job runs.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);
  private readonly mail: MailSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
  }

  /** Queues the day's digests; returns how many emails were queued (0 on a weekend or bank holiday). */
  async send(now: Date = this.clock.now()): Promise<number> {
    const date = londonDate(now);
    if (!isWorkingDay(date)) return 0;
    return this.dataSource.transaction(async (manager) => {
      const rows = await unconfirmedForDigest(manager, now);
      const people = await digestRecipients(manager);
      const link = consoleLinks.monitoring(this.mail.webBaseUrl);
      let queued = 0;
      for (const person of people) {
        // Their monitoring scope (the domain's visibility grants), a manager's narrowed to incoming.
        const scope = monitoringScopeFor(
          { id: person.id, role: person.role, teamId: person.teamId, areaId: person.areaId },
          person.role === 'manager' ? ['receiving'] : undefined,
        )!;
        const mine = rows.filter((r) => isWithin(scope, r));
        // Managers hear only when their team has someone waiting; leads hear every working day.
        if (person.role === 'manager' && mine.length === 0) continue;
        const heading =
          person.role === 'manager' ? mine[0].receivingTeamName : `${person.areaName} (safeguarding lead)`;
        const id = await queueEmail(manager, this.mail, {
          transferId: null,
          kind: 'digest.daily',
          recipient: person.email.toLowerCase(),
          dedupeKey: `digest:${date}:${person.email.toLowerCase()}`,
          email: composeDigest(heading, date, mine, link),
        });
        if (id) queued++;
      }
      this.logger.log({ date, queued }, 'daily digest');
      return queued;
    });
  }
}
