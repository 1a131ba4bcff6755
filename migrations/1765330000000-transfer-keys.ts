import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-transfer data keys (issue 12 item 11): one random 256-bit key per transfer, stored only
 * wrapped (AES-256-GCM) by a key-encryption key of DATA_KEY_RING, named by `kek_id`. The family
 * data of the transfer is encrypted under it by the application. `keys:rotate` re-wraps rows
 * (UPDATE of kek_id, wrapped_key, rewrapped_at); retention deletes a row to crypto-shred the
 * transfer — which is why the app role keeps UPDATE and DELETE here (default grants). The foreign
 * key is checked at commit, so the key can be made (and the transfer's fields sealed) before the
 * transfer row is inserted in the same transaction.
 */
export class TransferKeys1765330000000 implements MigrationInterface {
  name = 'TransferKeys1765330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transfer_keys (
        transfer_id uuid PRIMARY KEY REFERENCES transfers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        kek_id text NOT NULL CHECK (kek_id ~ '^[A-Za-z0-9_-]{1,40}$'),
        wrapped_key bytea NOT NULL CHECK (length(wrapped_key) = 60),
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz
      )`);
    // keys:rotate finds the keys not yet under the active KEK without reading every row.
    await q.query(`CREATE INDEX transfer_keys_kek_idx ON transfer_keys (kek_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE transfer_keys`);
  }
}
