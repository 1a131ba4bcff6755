import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/**
 * Issue 13 items 3 and 7: the temporary-move thresholds come from configuration. With
 * SHORT_STAY_DAYS=30 a 20-day stay is short (the default 15 would not make it so): initiation asks
 * for the sending side's choice, and `availableActions` says the same before the button is pressed.
 * With MOVE_REVIEW_WEEKS=3 a temporary transfer's move review is chased three weeks after the move,
 * not twelve.
 */
describe('temporary-move thresholds from configuration, over HTTP', () => {
  const clock = new TestClock(new Date('2026-12-01T10:00:00Z'));
  let api: RunningApi;
  let dir: SeededDirectory;

  beforeAll(async () => {
    api = await startApi(
      { SHORT_STAY_DAYS: '30', MOVE_REVIEW_WEEKS: '3', CHASE_SWEEP_SECONDS: '86400' },
      undefined,
      clock,
    );
    dir = await seedDirectory(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  type Action = { action: string; allowed: boolean; reasons?: { code: string; message: string }[] };

  it('a 20-day stay is short under SHORT_STAY_DAYS=30; a long one is reviewed MOVE_REVIEW_WEEKS=3 after the move', async () => {
    expect(api.config.clocks).toEqual(expect.objectContaining({ shortStayDays: 30, moveReviewWeeks: 3 }));
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: reviewFamily(dir.sandwell.hv.id, {
        moveDate: '2026-11-30',
        moveType: 'temporary',
        expectedUntil: '2026-12-20',
      }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const initiate = (created.body.availableActions as Action[]).find((a) => a.action === 'initiate')!;
    expect(initiate).toEqual(
      expect.objectContaining({
        allowed: false,
        reasons: [expect.objectContaining({ code: 'SHORT_STAY_CHOICE_MISSING' })],
      }),
    );
    const refused = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    expect(refused.status).toBe(422);
    expect(refused.body.message.join(' ')).toMatch(/under 30 days/);

    // Expected to last well past the review threshold: a transfer, reviewed three weeks after the move.
    const longer = await api.call('PATCH', `/v1/transfers/${id}`, {
      as: sender(),
      body: { expectedUntil: '2027-06-30' },
    });
    expect(longer.status).toBe(200);
    expect((longer.body.availableActions as Action[]).find((a) => a.action === 'initiate')).toEqual(
      expect.objectContaining({ allowed: true }),
    );
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() })).status).toBe(200);
    const items = (await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender() })).body as {
      kind: string;
      nextChaseAt: string;
    }[];
    const review = items.find((i) => i.kind === 'move_review')!;
    // 3 weeks after Monday 30 November 2026: Monday 21 December 2026, 09:00 London (GMT).
    expect(new Date(review.nextChaseAt).toISOString()).toBe('2026-12-21T09:00:00.000Z');
  });
});
