import { randomUUID } from 'node:crypto';
import { SystemClock } from '@fh/domain';
import { sha256Hex } from '@fh/packet';
import {
  addToOutbox,
  createDataSource,
  inTransaction,
  insertPacket,
  readPacket,
  transferCipher,
} from '@fh/persistence';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { PacketGenerator } from '../apps/worker/src/packets/packet-generator.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { redisUrl, withOwnerClient } from './support/services';
import { waitFor } from './support/wait';

describe('packet generation (worker)', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  let generator: PacketGenerator;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    // Its own pool, big enough for every concurrent generation below to hold a connection at once.
    ds = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 12 });
    await ds.initialize();
    generator = new PacketGenerator(ds, new SystemClock());
  });
  afterAll(async () => {
    await ds.destroy();
    await api.close();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  const receiver = () => dir.sandwell.hv.practitioner.email;
  const initiated = async () => {
    const created = await api.call('POST', '/v1/transfers', { as: sender(), body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender() })).status).toBe(200);
    return created.body.id as string;
  };
  /** The outbox rows the transitions wrote for this transfer's packets: their ids are the job ids. */
  const packetJobs = async (transferId: string): Promise<string[]> =>
    (
      await ds.query(
        `SELECT id FROM outbox WHERE job_name = 'packet.generate' AND payload->>'transferId' = $1 ORDER BY created_at, id`,
        [transferId],
      )
    ).map((r: { id: string }) => r.id);
  /** Each stored version, its document opened (it is stored sealed under the transfer's data key). */
  const versions = async (transferId: string) => {
    const rows: { version: number; sha256: string; jobId: string }[] = await ds.query(
      `SELECT version, sha256, job_id AS "jobId" FROM packets WHERE transfer_id = $1 ORDER BY version`,
      [transferId],
    );
    return Promise.all(
      rows.map(async (row) => ({
        ...row,
        document: (await readPacket(ds.manager, transferId, row.version, 'json'))!.body as string,
      })),
    );
  };

  it('writes one version however often the same job is delivered, one after another or at once', async () => {
    const id = await initiated();
    const [job] = await packetJobs(id);
    expect(await generator.generate(id, job)).toEqual({
      outcome: 'created',
      version: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await generator.generate(id, job)).toEqual({ outcome: 'already_done', version: 1 });
    const again = await Promise.all(Array.from({ length: 5 }, () => generator.generate(id, job)));
    expect(again).toEqual(Array(5).fill({ outcome: 'already_done', version: 1 }));

    const stored = await versions(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual(expect.objectContaining({ version: 1, jobId: job }));
    expect(stored[0].sha256).toBe(sha256Hex(stored[0].document));
    expect(JSON.parse(stored[0].document).transfer.id).toBe(id);
  });

  it('makes exactly one version when several generations for one transfer race (the row lock serialises them)', async () => {
    const id = await initiated();
    const results = await Promise.all(Array.from({ length: 8 }, () => generator.generate(id, randomUUID())));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'unchanged')).toHaveLength(7);
    expect((await versions(id)).map((v) => v.version)).toEqual([1]);
  });

  it('makes a new version when the transfer changes (contact recorded) and never changes the earlier one', async () => {
    const id = await initiated();
    const [first] = await packetJobs(id);
    await generator.generate(id, first);
    const [v1] = await versions(id);

    const flags = (await api.call('GET', `/v1/transfers/${id}`, { as: receiver() })).body.riskFlags.map(
      (f: { code: string }) => ({
        code: f.code,
        understanding: 'discussed',
      }),
    );
    const contact = await api.call('POST', `/v1/transfers/${id}/direct-contact`, {
      as: receiver(),
      body: {
        occurredAt: new Date().toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Talked it all through',
        flagAcknowledgements: flags,
        agreedActions: [
          {
            description: 'Register the baby with a GP',
            owner: 'receiving',
            dueOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
          },
        ],
      },
    });
    expect(contact.status).toBe(200);
    const jobs = await packetJobs(id);
    expect(jobs).toHaveLength(2); // initiation, then contact recorded
    expect(await generator.generate(id, jobs[1])).toEqual(expect.objectContaining({ outcome: 'created', version: 2 }));
    // A late redelivery of the first job, and a job for no change, write nothing.
    expect(await generator.generate(id, first)).toEqual({ outcome: 'already_done', version: 1 });
    expect(await generator.generate(id, randomUUID())).toEqual({ outcome: 'unchanged', version: 2 });

    const [v1After, v2] = await versions(id);
    expect(v1After).toEqual(v1);
    expect(v2.sha256).not.toBe(v1.sha256);
    const section = (doc: string) => JSON.parse(doc).sections.find((s: { key: string }) => s.key === 'directContact');
    expect(section(v1.document).recorded).toBe(false);
    expect(section(v2.document).contact.agreedActions[0].description).toBe('Register the baby with a GP');

    const view = await api.call('GET', `/v1/transfers/${id}`, { as: sender() });
    expect(view.body.latestPacket).toEqual({ version: 2, sha256: v2.sha256, generatedAt: expect.any(String) });

    const audit = await ds.query(
      `SELECT action, entity_type AS "entityType", actor_id AS "actorId", details FROM audit_events WHERE transfer_id = $1 AND action = 'packet.generate' ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      {
        action: 'packet.generate',
        entityType: 'packet',
        actorId: null,
        details: { version: 1, sha256: v1.sha256, jobId: first },
      },
      {
        action: 'packet.generate',
        entityType: 'packet',
        actorId: null,
        details: { version: 2, sha256: v2.sha256, jobId: jobs[1] },
      },
    ]);
  });

  it('writes nothing for a transfer that does not exist or was never initiated', async () => {
    expect(await generator.generate(randomUUID(), randomUUID())).toEqual({ outcome: 'skipped', reason: 'no_transfer' });
    expect(await generator.generate('not-a-uuid', randomUUID())).toEqual({ outcome: 'skipped', reason: 'no_transfer' });
    const draft = await api.call('POST', '/v1/transfers', { as: sender(), body: reviewFamily(dir.sandwell.hv.id) });
    expect(await generator.generate(draft.body.id, randomUUID())).toEqual({
      outcome: 'skipped',
      reason: 'not_initiated',
    });
    expect(await versions(draft.body.id)).toEqual([]);
  });

  it('refuses to change or remove a packet, or to store one whose hash does not match its document', async () => {
    const id = await initiated();
    await generator.generate(id, randomUUID());
    // As the owner: the triggers hold even against it (the app's role has no UPDATE, DELETE or TRUNCATE at all).
    await withOwnerClient(api.config.databaseUrl, async (owner) => {
      await expect(owner.query(`UPDATE packets SET format = 'tampered' WHERE transfer_id = $1`, [id])).rejects.toThrow(
        'packets are immutable: UPDATE refused',
      );
      await expect(owner.query(`DELETE FROM packets WHERE transfer_id = $1`, [id])).rejects.toThrow(
        'packets are immutable: DELETE refused',
      );
      await expect(owner.query(`TRUNCATE packets`)).rejects.toThrow('packets are immutable: TRUNCATE refused');
    });
    // The document is sealed, so the database cannot check its hash: the store refuses a mismatch, and
    // a row with one (written around the store) is refused on every read.
    const packet = {
      transferId: id,
      version: 9,
      jobId: randomUUID(),
      format: 'x',
      document: '{}',
      sha256: sha256Hex('{"other":1}'),
      pdf: Buffer.from([0]),
      generatedAt: new Date(),
    };
    await expect(insertPacket(ds.manager, packet)).rejects.toThrow('a packet’s sha256 must be that of its document');
    expect((await versions(id)).map((v) => v.version)).toEqual([1]);
    const sealed = (await transferCipher(ds.manager, id)).seal('packets.document', '{}');
    await ds.query(
      `INSERT INTO packets (transfer_id, version, job_id, format, document, sha256, pdf, generated_at) VALUES ($1, 9, $2, 'x', $3, $4, '\\x00', now())`,
      [id, randomUUID(), sealed, sha256Hex('{"other":1}')],
    );
    await expect(readPacket(ds.manager, id, 9, 'json')).rejects.toThrow('its document does not match its sha256');
  });

  describe('through the real worker (outbox relay → BullMQ → processor)', () => {
    let worker: RunningWorker;
    let redis: Redis;

    beforeAll(async () => {
      worker = await startWorker(api.config);
      redis = new Redis(redisUrl());
    });
    afterAll(async () => {
      redis.disconnect();
      await worker.close();
    });

    const returnValue = async (jobId: string) => {
      const job = await redis.hgetall(`${api.config.queuePrefix}:packets:${jobId}`);
      return job.returnvalue ? JSON.parse(job.returnvalue) : null;
    };

    it('generates the packet the initiation asked for, and a redelivered request makes no second version', async () => {
      const id = await initiated();
      const [job] = await packetJobs(id);
      await waitFor('packet version 1', async () => (await versions(id)).length === 1);
      await waitFor('the job to complete', async () => (await returnValue(job)) !== null);
      expect(await returnValue(job)).toEqual(expect.objectContaining({ outcome: 'created', version: 1 }));

      const again = await inTransaction(ds, (m) => addToOutbox(m, 'packet.generate', { transferId: id }));
      await waitFor('the repeated job to complete', async () => (await returnValue(again)) !== null);
      expect(await returnValue(again)).toEqual({ outcome: 'unchanged', version: 1 });
      expect((await versions(id)).map((v) => v.version)).toEqual([1]);

      const unknown = await inTransaction(ds, (m) => addToOutbox(m, 'packet.generate', { transferId: randomUUID() }));
      await waitFor('the job for no transfer to complete', async () => (await returnValue(unknown)) !== null);
      expect(await returnValue(unknown)).toEqual({ outcome: 'skipped', reason: 'no_transfer' });
    });
  });
});
