import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { approved, seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';

describe('return, re-initiate, cancel, concurrency and idempotency', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let sender: string;
  let receiver: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
  });
  afterAll(() => api.close());

  const create = async (overrides: Record<string, unknown> = {}) => (await scenario(api, dir).created(overrides)).id;
  const initiated = async () => (await scenario(api, dir).created().initiated()).id;
  /** A family with no critical flag, walked to contact_confirmed. */
  const confirmed = async () =>
    (
      await scenario(api, dir)
        .created({ concerns: [] })
        .initiated()
        .contactRecorded({ method: 'in_person', summary: 'Met' })
        .confirmed()
    ).id;

  it('accepts the review family only once a safeguarding lead has advised on each critical flag', async () => {
    const walk = scenario(api, dir);
    const confirmedFamily = await walk.created().initiated().contactRecorded().confirmed();
    expect(confirmedFamily.status).toBe('contact_confirmed');
    const early = await api.call('POST', `/v1/transfers/${walk.id}/accept`, {
      as: receiver,
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('PRECONDITION_FAILED');
    const advised = await walk.acknowledged();
    expect(advised.riskFlags.filter((f) => f.severity === 'critical').every((f) => f.safeguardingAcknowledgement)).toBe(
      true,
    );
    const accepted = await walk.accepted();
    expect(accepted.status).toBe('accepted');
    expect(accepted.accountablePractitioner.id).toBe(dir.sandwell.hv.practitioner.id);
  });

  it('returns to the sending side, which stays accountable, updates and re-initiates', async () => {
    const id = await initiated();
    const noReason = await api.call('POST', `/v1/transfers/${id}/return`, { as: receiver, body: { reason: '   ' } });
    expect(noReason.status).toBe(422);
    const returned = await api.call('POST', `/v1/transfers/${id}/return`, {
      as: receiver,
      body: { reason: 'Family is living in Dudley, not Sandwell' },
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toEqual(
      expect.objectContaining({ status: 'returned', returnReason: 'Family is living in Dudley, not Sandwell' }),
    );
    expect(returned.body.accountablePractitioner.id).toBe(dir.birmingham.hv.practitioner.id);

    const patched = await api.call('PATCH', `/v1/transfers/${id}`, {
      as: sender,
      body: { reason: 'Address confirmed with the family', householdConfirmed: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.reason).toBe('Address confirmed with the family');
    const reinitiated = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender });
    expect(reinitiated.status).toBe(200);
    expect(reinitiated.body.status).toBe('awaiting_contact');

    const ds = api.app.get(DataSource);
    const open = await ds.query(
      `SELECT kind, count(*)::int AS n FROM chase_items WHERE transfer_id = $1 AND status = 'open' GROUP BY kind ORDER BY kind`,
      [id],
    );
    // Loose ends are not duplicated by re-initiation; one direct-contact item chases the receiving team again.
    expect(open).toEqual([
      { kind: 'appointment', n: 3 },
      { kind: 'child_seen', n: 2 }, // each child, once (issue 14 item 1)
      { kind: 'direct_contact', n: 1 },
      { kind: 'gp_registration', n: 2 }, // the baby, and the father whose GP is unknown
    ]);
    const packets = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'packet.generate' AND payload->>'transferId' = $1`,
      [id],
    );
    expect(packets[0].n).toBe(2);
  });

  it('cancels with a reason and closes every chase item as not required', async () => {
    const id = await initiated();
    expect((await api.call('POST', `/v1/transfers/${id}/cancel`, { as: sender, body: {} })).status).toBe(400);
    const cancelled = await api.call('POST', `/v1/transfers/${id}/cancel`, {
      as: sender,
      body: { reason: 'Family did not move' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const open = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM chase_items WHERE transfer_id = $1 AND status = 'open'`, [id]);
    expect(open[0].n).toBe(0);
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(409);
    expect((await api.call('PATCH', `/v1/transfers/${id}`, { as: sender, body: { reason: 'x' } })).status).toBe(409);
  });

  it('lets exactly one of 10 simultaneous accepts win; the rest get 409', async () => {
    const id = await confirmed();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.call('POST', `/v1/transfers/${id}/accept`, {
          as: receiver,
          body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'INVALID_STATE')).toBe(true);
    const events = await api.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.accept' AND outcome = 'succeeded'`,
        [id],
      );
    expect(events[0].n).toBe(1);
  });

  it('lets one of two simultaneous initiates win', async () => {
    const id = await create();
    const responses = await Promise.all(
      [1, 2].map(() => api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const items = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM chase_items WHERE transfer_id = $1 AND kind = 'direct_contact'`, [id]);
    expect(items[0].n).toBe(1);
  });

  it('creates one transfer for the same Idempotency-Key, sent twice in a row or at once', async () => {
    const body = reviewFamily(dir.sandwell.hv.id);
    const headers = { 'idempotency-key': 'create-family-42' };
    const first = await api.call('POST', '/v1/transfers', { as: sender, body, headers });
    const second = await api.call('POST', '/v1/transfers', { as: sender, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');

    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        api.call('POST', '/v1/transfers', { as: sender, body, headers: { 'idempotency-key': 'create-family-43' } }),
      ),
    );
    expect(new Set(concurrent.map((r) => r.body.id)).size).toBe(1);
    expect(concurrent.map((r) => r.status)).toEqual([201, 201, 201]);

    const reused = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: { ...body, reason: 'different' },
      headers,
    });
    expect(reused.status).toBe(422);
    const count = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM transfers WHERE reason = $1`, [body.reason]);
    const before = count[0].n;
    expect((await api.call('POST', '/v1/transfers', { as: sender, body, headers })).status).toBe(201);
    expect(
      (
        await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM transfers WHERE reason = $1`, [body.reason])
      )[0].n,
    ).toBe(before);
  });

  it('reads a transfer in a fixed number of queries, whatever the household size', async () => {
    const bigHousehold = Array.from({ length: 12 }, (_, i) => ({
      ref: `child-${i}`,
      role: 'child',
      givenName: `C${i}`,
      familyName: 'Large',
      dateOfBirth: '2020-01-01',
      gp: { status: 'registered' },
      involvements: [{ agency: 'school', area: 'sandwell', detail: 'attends' }],
    }));
    const small = await create();
    const big = await create({
      household: [
        ...bigHousehold,
        { ref: 'father', role: 'father', givenName: 'F', familyName: 'Large', sex: 'male', engaged: true },
      ],
      concerns: bigHousehold.map((m) => ({
        memberRef: m.ref,
        type: 'other',
        observedOn: '2026-11-01',
        safeguardingAdviceSought: true,
      })),
      appointments: bigHousehold.map((m) => ({
        memberRef: m.ref,
        kind: 'review',
        dueOn: '2026-12-01',
        status: 'scheduled',
      })),
    });
    const count = async (id: string) => {
      const original = Client.prototype.query;
      let queries = 0;
      Client.prototype.query = function (this: Client, ...args: unknown[]) {
        queries++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        expect((await api.call('GET', `/v1/transfers/${id}`, { as: sender })).status).toBe(200);
      } finally {
        Client.prototype.query = original;
      }
      return queries;
    };
    const smallQueries = await count(small);
    const bigQueries = await count(big);
    expect(bigQueries).toBe(smallQueries);
    expect(smallQueries).toBeLessThanOrEqual(14);
  });

  it('replays an idempotent response only to someone who may still see it, and audits the replay', async () => {
    const id = await create();
    const key = { 'idempotency-key': 'initiate-once' };
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender, headers: key })).status).toBe(200);
    const replay = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender, headers: key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const ds = api.app.get(DataSource);
    const audited = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.initiate.replay'`,
      [id],
    );
    expect(audited[0].n).toBe(1);
    // moved to a team in another area, the same practitioner no longer sees the family
    const worker = (
      await api.call('GET', `/v1/practitioners?teamId=${dir.birmingham.hv.id}`, { as: 'admin@handover.test' })
    ).body.find((p: { email: string }) => p.email === sender);
    expect(
      // a team move needs a second admin's approval (issue 12 item 1): approved() proposes and approves it
      (await approved(api, 'PATCH', `/v1/practitioners/${worker.id}`, { teamId: dir.dudley.csc.id })).status,
    ).toBe(200);
    const after = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender, headers: key });
    expect(after.status).toBe(404);
    expect(JSON.stringify(after.body)).not.toContain('Quillfeather');
    expect(
      // a team move needs a second admin's approval (issue 12 item 1): approved() proposes and approves it
      (await approved(api, 'PATCH', `/v1/practitioners/${worker.id}`, { teamId: dir.birmingham.hv.id })).status,
    ).toBe(200);
  });

  it('refuses outcomes on a cancelled transfer, and never answers a race between writers with a 5xx', async () => {
    const cancelledId = await initiated();
    const appointmentId = (await api.call('GET', `/v1/transfers/${cancelledId}`, { as: sender })).body.appointments[0]
      .id;
    expect(
      (await api.call('POST', `/v1/transfers/${cancelledId}/cancel`, { as: sender, body: { reason: 'did not move' } }))
        .status,
    ).toBe(200);
    const outcome = await api.call('POST', `/v1/appointments/${appointmentId}/outcome`, {
      as: sender,
      body: { status: 'was_not_brought' },
    });
    expect(outcome.status).toBe(409);
    expect(outcome.body.code).toBe('INVALID_STATE');

    for (let round = 0; round < 3; round++) {
      const id = await confirmed();
      const transfer = (await api.call('GET', `/v1/transfers/${id}`, { as: receiver })).body;
      const items = (await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: receiver })).body;
      const gp = items.find((i: { kind: string }) => i.kind === 'gp_registration');
      const responses = await Promise.all([
        api.call('POST', `/v1/transfers/${id}/accept`, {
          as: receiver,
          body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
        }),
        api.call('POST', `/v1/chase-items/${gp.id}/close`, {
          as: receiver,
          body: {
            resolution: 'registered',
            evidence: {
              practiceOds: 'M88006',
              practiceName: 'Oldbury Surgery',
              registeredOn: new Date().toISOString().slice(0, 10),
            },
          },
        }),
        api.call('POST', `/v1/appointments/${transfer.appointments[0].id}/outcome`, {
          as: receiver,
          body: { status: 'attended', attendedOn: new Date().toISOString().slice(0, 10) },
        }),
        api.call('POST', `/v1/appointments/${transfer.appointments[1].id}/outcome`, {
          as: sender,
          body: { status: 'was_not_brought' },
        }),
      ]);
      expect(responses.map((r) => r.status).filter((status) => status >= 500)).toEqual([]);
    }
  });
});
