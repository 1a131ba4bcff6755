import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transfer requests (issue 14 item 3): a practitioner who finds that a family known to another area
 * has moved in asks the originating team to transfer it.
 * - transfer_requests: who asked (team, area), whom (the originating team and area), the status
 *   (open → will_transfer | declined), when the answer is due, the chasing state of an unanswered
 *   request (reminders, escalation level, next chase — the same shape as chase_items), the answer
 *   and, for will_transfer, the linked draft transfer (`transfer_id`). how_known, concern and
 *   decline_reason are free text, stored only sealed (fh1:) under the request's data key.
 * - transfer_request_children: the children named, every personal column sealed (names, date of
 *   birth and NHS number are stored as sealed text).
 * - transfer_request_keys: one random data key per request, wrapped by a KEK of DATA_KEY_RING, as
 *   transfer_keys is for transfers; retention deletes the row to crypto-shred the request.
 */
export class TransferRequests1765420000000 implements MigrationInterface {
  name = 'TransferRequests1765420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE transfer_request_reference_seq`);
    await q.query(`
      CREATE TABLE transfer_requests (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('open','will_transfer','declined')),
        version integer NOT NULL DEFAULT 1,
        requested_by_id uuid NOT NULL REFERENCES practitioners(id),
        requester_team_id uuid NOT NULL REFERENCES teams(id),
        requester_area_id uuid NOT NULL REFERENCES areas(id),
        originating_team_id uuid NOT NULL REFERENCES teams(id),
        originating_area_id uuid NOT NULL REFERENCES areas(id),
        how_known text,
        concern text,
        due_at timestamptz NOT NULL,
        reminders integer NOT NULL DEFAULT 0 CHECK (reminders >= 0),
        escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
        next_chase_at timestamptz,
        responded_by_id uuid REFERENCES practitioners(id),
        responded_at timestamptz,
        decline_reason text,
        transfer_id uuid REFERENCES transfers(id),
        erased_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'open') = (responded_at IS NULL)),
        CHECK (status <> 'will_transfer' OR transfer_id IS NOT NULL OR erased_at IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX transfer_requests_originating_idx ON transfer_requests (originating_team_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX transfer_requests_requester_idx ON transfer_requests (requester_team_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX transfer_requests_areas_idx ON transfer_requests (originating_area_id, requester_area_id, created_at DESC, id DESC)`,
    );
    // The sweep finds due, unanswered requests through this (the same shape as chase_items').
    await q.query(`CREATE INDEX transfer_requests_due_idx ON transfer_requests (next_chase_at) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE transfer_request_children (
        id uuid PRIMARY KEY,
        transfer_request_id uuid NOT NULL REFERENCES transfer_requests(id) ON DELETE CASCADE,
        position integer NOT NULL,
        given_name text NOT NULL,
        family_name text NOT NULL,
        date_of_birth text,
        nhs_number text,
        UNIQUE (transfer_request_id, position)
      )`);
    await q.query(`
      CREATE TABLE transfer_request_keys (
        transfer_request_id uuid PRIMARY KEY
          REFERENCES transfer_requests(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        kek_id text NOT NULL CHECK (kek_id ~ '^[A-Za-z0-9_-]{1,40}$'),
        wrapped_key bytea NOT NULL CHECK (length(wrapped_key) = 60),
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz
      )`);
    await q.query(`CREATE INDEX transfer_request_keys_kek_idx ON transfer_request_keys (kek_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE transfer_request_keys`);
    await q.query(`DROP TABLE transfer_request_children`);
    await q.query(`DROP TABLE transfer_requests`);
    await q.query(`DROP SEQUENCE transfer_request_reference_seq`);
  }
}
