import { seedDirectory } from './support/directory';
import type { SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';

/** A returned transfer's update that drops appointments closes their loose ends as superseded (an effect of transfer.updated). */
describe('an update that drops what loose ends are about', () => {
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

  it('closes the appointment items of appointments no longer recorded, and nothing else', async () => {
    const family = reviewFamily(dir.sandwell.hv.id);
    const [, ...kept] = family.appointments;
    const { id } = await scenario(api, dir).created(family).initiated();
    const items = async () =>
      (await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender })).body as {
        kind: string;
        status: string;
        resolution: string | null;
      }[];
    const before = await items();
    expect(before.filter((i) => i.kind === 'appointment' && i.status === 'open').length).toBeGreaterThan(0);
    const returned = await api.call('POST', `/v1/transfers/${id}/return`, {
      as: receiver,
      body: { reason: 'appointments recorded against the wrong family' },
    });
    expect(returned.status).toBe(200);

    const patched = await api.call('PATCH', `/v1/transfers/${id}`, { as: sender, body: { appointments: kept } });
    expect(patched.status).toBe(200);

    const after = await items();
    const appointments = after.filter((i) => i.kind === 'appointment');
    expect(appointments.length).toBe(3);
    // The dropped appointment's item (its appointment is gone, so its reference is too) is superseded…
    expect(appointments.filter((i) => i.status === 'closed' && i.resolution === 'superseded').length).toBe(1);
    // …the kept ones' stay open.
    expect(appointments.filter((i) => i.status === 'open').length).toBe(2);
    // GP registrations are about people still recorded: they stay open.
    const gp = after.filter((i) => i.kind === 'gp_registration');
    expect(gp.length).toBeGreaterThan(0);
    expect(gp.every((i) => i.status === 'open')).toBe(true);
  });
});
