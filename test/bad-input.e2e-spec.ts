import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/** No request, however malformed, gets a 5xx; a refused request changes nothing. */
describe('bad input', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let id: string;

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '100000' });
    dir = await seedDirectory(api);
    id = (await api.call('POST', '/v1/transfers', { as: dir.birmingham.hv.practitioner.email, body: reviewFamily(dir.sandwell.hv.id) })).body.id;
  });
  afterAll(() => api.close());

  const writes = () => [
    ['POST', '/v1/transfers'],
    ['PATCH', `/v1/transfers/${id}`],
    ['POST', `/v1/transfers/${id}/initiate`],
    ['POST', `/v1/transfers/${id}/direct-contact`],
    ['POST', `/v1/transfers/${id}/direct-contact/confirm`],
    ['POST', `/v1/transfers/${id}/flags/NO_GP_REGISTRATION/acknowledge`],
    ['POST', `/v1/transfers/${id}/accept`],
    ['POST', `/v1/transfers/${id}/return`],
    ['POST', `/v1/transfers/${id}/cancel`],
    ['POST', '/v1/areas'],
    ['POST', '/v1/teams'],
    ['POST', '/v1/practitioners'],
  ];

  /** Bodies that look like the real ones with random values in random places. */
  const mutated = fc
    .tuple(
      fc.constantFrom<Record<string, unknown>>(reviewFamily('x'), { occurredAt: 'x', method: 'phone' }, { agree: true }, { reason: 'r' }),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    )
    .map(([base, noise]) => ({ ...base, ...noise }));
  const anyBody = fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutated);

  it('answers every random body with a 4xx in the error shape, never a 5xx', async () => {
    const ds = api.app.get(DataSource);
    const before = await ds.query(`SELECT version, status FROM transfers WHERE id = $1`, [id]);
    const sender = dir.birmingham.hv.practitioner.email;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes()),
        anyBody,
        fc.constantFrom(sender, dir.sandwell.hv.practitioner.email, 'admin@handover.test'),
        async ([method, path], body, as) => {
          const response = await api.call(method, path, { as, raw: JSON.stringify(body) });
          if (response.status >= 500) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)} for ${JSON.stringify(body)}`);
          if (response.status >= 400) {
            expect(response.body).toEqual(expect.objectContaining({ statusCode: response.status, code: expect.any(String), message: expect.any(Array) }));
          }
        },
      ),
      { numRuns: 300 },
    );
    // The one transfer that a random body could legitimately change is the draft; make sure no refused request moved it.
    const after = await ds.query(`SELECT version, status FROM transfers WHERE id = $1`, [id]);
    const changes = await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE transfer_id = $1 AND outcome = 'succeeded' AND action NOT IN ('transfer.create', 'transfer.view')`,
      [id],
    );
    expect(after[0].version - before[0].version).toBe(changes[0].n);
  }, 120_000);

  it.each([
    ['a raw string', '"just a string"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an array', '[]'],
    ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
    ['a huge number', '{"limit": 1e400}'],
    ['a prototype key', '{"__proto__": {"admin": true}, "reason": "x"}'],
    ['a NUL character', '{"reason": "a\\u0000b", "household": [{"ref": "a", "givenName": "A\\u0000", "familyName": "B"}]}'],
    ['a date in the year 9999', '{"moveDate": "9999-12-24", "reason": "x"}'],
  ])('refuses %s with a 4xx', async (_what, raw) => {
    for (const [method, path] of writes()) {
      const response = await api.call(method, path, { as: dir.birmingham.hv.practitioner.email, raw });
      expect({ method, path, status: response.status, ok: response.status < 500 && response.status >= 400 }).toEqual({
        method,
        path,
        status: response.status,
        ok: true,
      });
    }
  });
});
