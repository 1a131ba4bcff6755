import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/** Issue 12 item 3: a replayed idempotent response is audited in the trail of the transfer it shows. */
describe('idempotent replays are in the transfer trail', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let sender: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
  });
  afterAll(() => api.close());

  /** The transfer's trail as GET /v1/transfers/:id/audit shows it to the sending area's safeguarding lead. */
  const trail = async (
    id: string,
  ): Promise<{ action: string; entityId: string | null; transferId: string | null }[]> => {
    const response = await api.call('GET', `/v1/transfers/${id}/audit`, { as: dir.birmingham.lead.email });
    expect(response.status).toBe(200);
    return (Array.isArray(response.body) ? response.body : response.body.items) as {
      action: string;
      entityId: string | null;
      transferId: string | null;
    }[];
  };
  const twice = async (path: string, body: unknown, key: string) => {
    const headers = { 'idempotency-key': key };
    const first = await api.call('POST', path, { as: sender, body, headers });
    const second = await api.call('POST', path, { as: sender, body, headers });
    expect(second.status).toBe(first.status);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    return first;
  };

  it('audits replays of create, chase-item close and appointment outcome against the transfer they return', async () => {
    const created = await twice('/v1/transfers', reviewFamily(dir.sandwell.hv.id), 'replay-audit-create');
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);

    const items = await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender });
    const gpItem = items.body.find((i: { kind: string }) => i.kind === 'gp_registration');
    const closed = await twice(
      `/v1/chase-items/${gpItem.id}/close`,
      {
        resolution: 'registered',
        evidence: {
          practiceOds: 'M88006',
          practiceName: 'Replay Surgery',
          registeredOn: new Date().toISOString().slice(0, 10),
        },
      },
      'replay-audit-close',
    );
    expect(closed.status).toBe(200);

    const appointmentId = (await api.call('GET', `/v1/transfers/${id}`, { as: sender })).body.appointments[0]
      .id as string;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const outcome = await twice(
      `/v1/appointments/${appointmentId}/outcome`,
      { status: 'was_not_brought', rebookedFor: tomorrow },
      'replay-audit-outcome',
    );
    expect(outcome.status).toBe(200);

    const events = await trail(id);
    const replays = events.filter((e) => e.action.endsWith('.replay'));
    expect(replays).toEqual([
      expect.objectContaining({ action: 'transfer.create.replay', entityId: id, transferId: id }),
      expect.objectContaining({ action: 'chase_item.close.replay', entityId: gpItem.id, transferId: id }),
      expect.objectContaining({ action: 'appointment.outcome.replay', entityId: appointmentId, transferId: id }),
    ]);
  });
});
