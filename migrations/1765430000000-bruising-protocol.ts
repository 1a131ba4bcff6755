import { MigrationInterface, QueryRunner } from 'typeorm';
import { widenCheck } from './1765370000000-host-notifications.js';

/**
 * The bruising protocol (issue 14 item 4):
 * - household_members.not_independently_mobile: a child of any age recorded as not independently
 *   mobile (disabled or developmentally delayed children);
 * - the concern type `possible_bruise` (a mark that might be a bruise: counts as a bruise);
 * - on a concern, the protocol's record: the health assessment (by whom, when), the referral to
 *   children's social care or MASH (when, its reference), the multi-agency discussion (when, its
 *   outcome) and the parents' explanation in their words. The free text (who assessed, the
 *   reference, the outcome, the explanation) is stored sealed (TransferCipher), the dates in the clear
 *   like `observed_on`;
 * - on a safeguarding lead's acknowledgement, what was done about each missing item (`protocol_actions`,
 *   sealed JSON `[{ item, action }]`).
 * The concern-type check is widened from what it is now, never rewritten from a list of our own.
 */
export class BruisingProtocol1765430000000 implements MigrationInterface {
  name = 'BruisingProtocol1765430000000';

  async up(q: QueryRunner): Promise<void> {
    await widenCheck(q, 'concerns', 'concerns_type_check', 'type', ['possible_bruise'], []);
    await q.query(`ALTER TABLE household_members ADD COLUMN not_independently_mobile boolean`);
    await q.query(`
      ALTER TABLE concerns
        ADD COLUMN health_assessment_by text,
        ADD COLUMN health_assessment_on date,
        ADD COLUMN referral_on date,
        ADD COLUMN referral_reference text,
        ADD COLUMN discussion_on date,
        ADD COLUMN discussion_outcome text,
        ADD COLUMN parents_explanation text`);
    await q.query(`ALTER TABLE flag_acknowledgements ADD COLUMN protocol_actions text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flag_acknowledgements DROP COLUMN protocol_actions`);
    await q.query(`
      ALTER TABLE concerns DROP COLUMN health_assessment_by, DROP COLUMN health_assessment_on, DROP COLUMN referral_on,
        DROP COLUMN referral_reference, DROP COLUMN discussion_on, DROP COLUMN discussion_outcome, DROP COLUMN parents_explanation`);
    await q.query(`ALTER TABLE household_members DROP COLUMN not_independently_mobile`);
    await q.query(`DELETE FROM concerns WHERE type = 'possible_bruise'`);
    await widenCheck(q, 'concerns', 'concerns_type_check', 'type', [], ['possible_bruise']);
  }
}
