import { MigrationInterface, QueryRunner } from 'typeorm';
import { widenCheck } from './1765370000000-host-notifications.js';

/**
 * Signs of non-engagement (issue 14 item 5): appointment outcomes `no_access` (a home visit, no one
 * answered), `cancelled_by_carer` and `rescheduled` with its new date (`rescheduled_for`), and how
 * often the carer cancelled or rescheduled each appointment (`carer_cancellations`, which the
 * REPEATED_CANCELLATIONS flag counts across the family and a later outcome does not erase). The
 * status check is widened from what it is now, never rewritten from a list of our own.
 */
export class AppointmentOutcomes1765390000000 implements MigrationInterface {
  name = 'AppointmentOutcomes1765390000000';

  async up(q: QueryRunner): Promise<void> {
    await widenCheck(
      q,
      'appointments',
      'appointments_status_check',
      'status',
      ['no_access', 'cancelled_by_carer', 'rescheduled'],
      [],
    );
    await q.query(`
      ALTER TABLE appointments
        ADD COLUMN rescheduled_for date,
        ADD COLUMN carer_cancellations integer NOT NULL DEFAULT 0 CHECK (carer_cancellations >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointments DROP COLUMN rescheduled_for, DROP COLUMN carer_cancellations`);
    await widenCheck(
      q,
      'appointments',
      'appointments_status_check',
      'status',
      [],
      ['no_access', 'cancelled_by_carer', 'rescheduled'],
    );
  }
}
