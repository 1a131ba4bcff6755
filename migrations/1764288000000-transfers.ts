import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transfers and everything recorded about them: household members (with involvements and risk
 * factors), concerns, appointments, direct contacts with their agreed actions, safeguarding-lead
 * flag acknowledgements, chase items and idempotency keys. Indexes follow the filters and sorts of
 * API.md (lists by direction and status, newest first) and the sweeps.
 */
export class Transfers1764288000000 implements MigrationInterface {
  name = 'Transfers1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE transfer_reference_seq`);
    await q.query(`
      CREATE TABLE transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('draft','awaiting_contact','contact_recorded','contact_confirmed','accepted','returned','cancelled','closed')),
        version integer NOT NULL DEFAULT 1,
        involvement text NOT NULL CHECK (involvement IN ('universal','early_help','child_in_need','child_protection','looked_after')),
        move_date date NOT NULL,
        move_type text NOT NULL CHECK (move_type IN ('permanent','temporary','unknown')),
        reason text,
        previous_address_area text,
        new_address jsonb,
        left_support_network boolean NOT NULL DEFAULT false,
        support_network_note text,
        household_confirmed boolean NOT NULL DEFAULT false,
        no_male_carer_reason text,
        sending_team_id uuid NOT NULL REFERENCES teams(id),
        sending_area_id uuid NOT NULL REFERENCES areas(id),
        receiving_team_id uuid NOT NULL REFERENCES teams(id),
        receiving_area_id uuid NOT NULL REFERENCES areas(id),
        accountable_practitioner_id uuid NOT NULL REFERENCES practitioners(id),
        created_by_id uuid NOT NULL REFERENCES practitioners(id),
        risk_flags jsonb NOT NULL DEFAULT '[]'::jsonb,
        critical_flag_codes text[] NOT NULL DEFAULT '{}',
        contact_due_at timestamptz,
        return_reason text,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        initiated_at timestamptz,
        accepted_at timestamptz,
        returned_at timestamptz,
        cancelled_at timestamptz,
        closed_at timestamptz
      )`);
    // Lists: by team and direction, optionally by status, newest first (cursor on created_at, id).
    await q.query(`CREATE INDEX transfers_sending_team_idx ON transfers (sending_team_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX transfers_receiving_team_idx ON transfers (receiving_team_id, created_at DESC, id DESC) WHERE initiated_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX transfers_sending_area_idx ON transfers (sending_area_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX transfers_receiving_area_idx ON transfers (receiving_area_id, created_at DESC, id DESC) WHERE initiated_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX transfers_status_idx ON transfers (status, created_at DESC, id DESC)`);
    // Monitoring: the unconfirmed, by deadline.
    await q.query(
      `CREATE INDEX transfers_unconfirmed_idx ON transfers (contact_due_at, id) WHERE status IN ('awaiting_contact','contact_recorded','contact_confirmed')`,
    );
    await q.query(`CREATE INDEX transfers_accountable_idx ON transfers (accountable_practitioner_id)`);

    await q.query(`
      CREATE TABLE household_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        position integer NOT NULL,
        ref text NOT NULL,
        role text CHECK (role IN ('child','mother','father','step_parent','partner','grandparent','sibling_adult','other_adult')),
        given_name text NOT NULL,
        family_name text NOT NULL,
        date_of_birth date,
        sex text NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female','male','unknown')),
        nhs_number text,
        lives_in_household boolean NOT NULL DEFAULT true,
        mobility text CHECK (mobility IN ('non_mobile','mobile','unknown')),
        engaged boolean,
        gp_status text CHECK (gp_status IN ('registered','not_registered','unknown')),
        gp_practice_ods text,
        gp_practice_name text,
        risk_factors text[] NOT NULL DEFAULT '{}',
        UNIQUE (transfer_id, ref)
      )`);
    await q.query(`CREATE INDEX household_members_transfer_idx ON household_members (transfer_id, position)`);
    await q.query(`
      CREATE TABLE member_involvements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES household_members(id) ON DELETE CASCADE,
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        position integer NOT NULL,
        agency text NOT NULL,
        area text,
        detail text
      )`);
    await q.query(
      `CREATE INDEX member_involvements_transfer_idx ON member_involvements (transfer_id, member_id, position)`,
    );
    await q.query(`
      CREATE TABLE concerns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES household_members(id) ON DELETE CASCADE,
        position integer NOT NULL,
        type text NOT NULL CHECK (type IN ('bruising','injury','weight_faltering','parental_vulnerability','neglect','domestic_abuse','other')),
        observed_on date NOT NULL,
        description text,
        safeguarding_advice_sought boolean
      )`);
    await q.query(`CREATE INDEX concerns_transfer_idx ON concerns (transfer_id, position)`);
    await q.query(`
      CREATE TABLE appointments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        member_id uuid NOT NULL REFERENCES household_members(id) ON DELETE CASCADE,
        position integer NOT NULL,
        kind text NOT NULL,
        provider text,
        due_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled','attended','was_not_brought','cancelled')),
        attended_on date,
        rebooked_for date
      )`);
    await q.query(`CREATE INDEX appointments_transfer_idx ON appointments (transfer_id, position)`);

    await q.query(`
      CREATE TABLE direct_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        round integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        method text NOT NULL CHECK (method IN ('phone','video','in_person','meeting')),
        sending_practitioner_id uuid NOT NULL REFERENCES practitioners(id),
        recorded_by_id uuid NOT NULL REFERENCES practitioners(id),
        summary text NOT NULL,
        flag_acknowledgements jsonb NOT NULL DEFAULT '[]'::jsonb,
        state text NOT NULL CHECK (state IN ('pending','confirmed','disputed')),
        checked_by_id uuid REFERENCES practitioners(id),
        checked_at timestamptz,
        dispute_comment text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX direct_contacts_transfer_idx ON direct_contacts (transfer_id, recorded_at)`);
    await q.query(`
      CREATE TABLE agreed_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        direct_contact_id uuid NOT NULL REFERENCES direct_contacts(id) ON DELETE CASCADE,
        position integer NOT NULL,
        description text NOT NULL,
        owner text NOT NULL CHECK (owner IN ('sending','receiving')),
        due_on date NOT NULL,
        review_on date
      )`);
    await q.query(`CREATE INDEX agreed_actions_contact_idx ON agreed_actions (direct_contact_id, position)`);
    await q.query(`
      CREATE TABLE flag_acknowledgements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        round integer NOT NULL,
        code text NOT NULL,
        advice text NOT NULL,
        acknowledged_by_id uuid NOT NULL REFERENCES practitioners(id),
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (transfer_id, round, code)
      )`);
    // Each initiation starts a new round: contacts and acknowledgements of an earlier round are kept, not current.
    await q.query(`ALTER TABLE transfers ADD COLUMN round integer NOT NULL DEFAULT 0`);

    await q.query(`
      CREATE TABLE chase_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('gp_registration','appointment','agreed_action','transfer_in_conference','direct_contact')),
        member_id uuid REFERENCES household_members(id) ON DELETE SET NULL,
        appointment_id uuid REFERENCES appointments(id) ON DELETE SET NULL,
        agreed_action_id uuid REFERENCES agreed_actions(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
        owner_id uuid NOT NULL REFERENCES practitioners(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        next_chase_at timestamptz NOT NULL,
        reminders integer NOT NULL DEFAULT 0,
        escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
        closed_at timestamptz,
        closed_by_id uuid REFERENCES practitioners(id),
        resolution text,
        evidence jsonb
      )`);
    await q.query(`CREATE INDEX chase_items_transfer_idx ON chase_items (transfer_id, opened_at)`);
    // The sweep: cost follows what is due, not what is open.
    await q.query(`CREATE INDEX chase_items_due_idx ON chase_items (next_chase_at) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        actor_id uuid NOT NULL REFERENCES practitioners(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'chase_items',
      'flag_acknowledgements',
      'agreed_actions',
      'direct_contacts',
      'appointments',
      'concerns',
      'member_involvements',
      'household_members',
      'transfers',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP SEQUENCE transfer_reference_seq`);
  }
}
