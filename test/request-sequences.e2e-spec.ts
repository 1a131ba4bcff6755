import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

/**
 * Random sequences of requests from random people against one transfer: no sequence produces a
 * 5xx, and at every step exactly one practitioner is accountable — a sending-team member until an
 * accept succeeds (and only after a confirmed direct contact), the named receiving lead after.
 */
describe('random request sequences over HTTP', () => {
  let api: RunningApi;
  let dir: SeededDirectory;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '1000000' });
    dir = await seedDirectory(api);
  });
  afterAll(() => api.close());

  it('never answers 5xx and never leaves a gap in accountability', async () => {
    const people = () => [
      dir.birmingham.hv.practitioner,
      dir.birmingham.hv.manager,
      dir.sandwell.hv.practitioner,
      dir.sandwell.hv.manager,
      dir.sandwell.lead,
      dir.birmingham.lead,
      dir.dudley.csc.practitioner,
      { id: '', email: ADMIN_EMAIL },
    ];
    type Step = { who: number; action: number; flag: number; agree: boolean };
    const step = fc.record({ who: fc.nat(7), action: fc.nat(11), flag: fc.nat(9), agree: fc.boolean() });
    const ds = api.app.get(DataSource);

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 18 }), async (steps: Step[]) => {
        const sender = dir.birmingham.hv.practitioner.email;
        const id = (await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) }))
          .body.id as string;
        for (const s of steps) {
          const who = people()[s.who];
          const current = (await api.call('GET', `/v1/transfers/${id}`, { as: sender })).body;
          const flags: { code: string }[] = current.riskFlags ?? [];
          const appointment = current.appointments?.[0]?.id ?? '00000000-0000-4000-8000-000000000000';
          const requests: [string, string, unknown?][] = [
            ['POST', `/v1/transfers/${id}/initiate`],
            [
              'POST',
              `/v1/transfers/${id}/direct-contact`,
              {
                occurredAt: new Date().toISOString(),
                method: s.agree ? 'phone' : 'email',
                sendingPractitionerId: dir.birmingham.hv.practitioner.id,
                summary: 'spoke',
                flagAcknowledgements: flags.map((f) => ({ code: f.code, understanding: 'understood' })),
              },
            ],
            [
              'POST',
              `/v1/transfers/${id}/direct-contact/confirm`,
              s.agree ? { agree: true } : { agree: false, comment: 'not what we said' },
            ],
            [
              'POST',
              `/v1/transfers/${id}/flags/${flags[s.flag % Math.max(flags.length, 1)]?.code ?? 'NO_GP_REGISTRATION'}/acknowledge`,
              { advice: 'advised' },
            ],
            [
              'POST',
              `/v1/transfers/${id}/accept`,
              { leadPractitionerId: s.agree ? dir.sandwell.hv.practitioner.id : dir.birmingham.hv.practitioner.id },
            ],
            ['POST', `/v1/transfers/${id}/return`, { reason: 'wrong area' }],
            ['POST', `/v1/transfers/${id}/cancel`, { reason: 'did not move' }],
            ['PATCH', `/v1/transfers/${id}`, { reason: 'updated', householdConfirmed: true }],
            [
              'POST',
              `/v1/appointments/${appointment}/outcome`,
              s.agree
                ? { status: 'attended', attendedOn: new Date().toISOString().slice(0, 10) }
                : { status: 'was_not_brought' },
            ],
            [
              'POST',
              `/v1/transfers/${id}/reassign`,
              { practitionerId: s.agree ? dir.birmingham.hv.manager.id : dir.sandwell.hv.manager.id },
            ],
            ['GET', `/v1/transfers/${id}/chase-items`],
            ['GET', `/v1/transfers/${id}/packet`],
          ];
          const [method, path, body] = requests[s.action];
          const response = await api.call(method, path, { as: who.email, body });
          if (response.status >= 500)
            throw new Error(`${method} ${path} as ${who.email} → ${response.status} ${JSON.stringify(response.body)}`);

          const [row] = await ds.query(
            `SELECT t.status, t.accountable_practitioner_id AS owner, p.team_id AS "ownerTeam", t.sending_team_id AS "sendingTeam", t.receiving_team_id AS "receivingTeam",
                    (SELECT count(*)::int FROM direct_contacts c WHERE c.transfer_id = t.id AND c.state = 'confirmed') AS confirmed
             FROM transfers t JOIN practitioners p ON p.id = t.accountable_practitioner_id WHERE t.id = $1`,
            [id],
          );
          const accepted = row.status === 'accepted' || row.status === 'closed';
          expect(row.owner).toBeTruthy();
          expect(row.ownerTeam).toBe(accepted ? row.receivingTeam : row.sendingTeam);
          if (accepted) expect(row.confirmed).toBeGreaterThan(0);
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
