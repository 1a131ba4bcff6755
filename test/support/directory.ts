import type { RunningApi } from './harness';
import { ADMIN_EMAIL } from './harness';

export interface SeededTeam {
  id: string;
  area: string;
  practitioner: { id: string; email: string };
  manager: { id: string; email: string };
}
export interface SeededDirectory {
  birmingham: { csc: SeededTeam; hv: SeededTeam; lead: { id: string; email: string } };
  sandwell: { csc: SeededTeam; hv: SeededTeam; lead: { id: string; email: string } };
  /** A third area whose people must never see Birmingham ↔ Sandwell transfers. */
  dudley: { csc: SeededTeam; lead: { id: string; email: string } };
}

/** A second admin, so that directory changes needing four eyes can be approved (seedDirectory makes them). */
export const SECOND_ADMIN_EMAIL = 'second.admin@handover.test';

/**
 * Makes the second admin if there is none yet: the first admin beside the bootstrap admin takes
 * effect at once (nobody else could approve it); after that, admins need approval too.
 */
export async function ensureSecondAdmin(api: RunningApi): Promise<void> {
  const list = await api.call('GET', '/v1/practitioners', { as: ADMIN_EMAIL });
  if (list.body.some((p: { email: string }) => p.email === SECOND_ADMIN_EMAIL)) return;
  await ok(
    api.call('POST', '/v1/practitioners', {
      as: ADMIN_EMAIL,
      body: { name: 'Second Admin', email: SECOND_ADMIN_EMAIL, role: 'admin' },
    }),
  );
}

/**
 * A directory write as the bootstrap admin that, if it needs a second admin's approval (202), the
 * second admin approves: the practitioner as it then is. Any other answer is returned as it came.
 */
export async function approved(
  api: RunningApi,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  await ensureSecondAdmin(api);
  const proposed = await api.call(method, path, { as: ADMIN_EMAIL, body });
  if (proposed.status !== 202) return proposed;
  const decided = await api.call('POST', `/v1/practitioner-changes/${proposed.body.id}/approve`, {
    as: SECOND_ADMIN_EMAIL,
  });
  if (decided.status !== 200) return decided;
  return { status: method === 'POST' ? 201 : 200, body: decided.body.practitioner };
}

async function ok<T>(promise: Promise<{ status: number; body: T }>, expected = 201): Promise<T> {
  const response = await promise;
  if (response.status !== expected)
    throw new Error(`seeding failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Three areas, their teams and people, created through the API as the bootstrap admin (and approved by a second). */
export async function seedDirectory(api: RunningApi): Promise<SeededDirectory> {
  const as = ADMIN_EMAIL;
  const person = async (teamId: string, email: string, role: string) =>
    ok<{ id: string; email: string }>(
      approved(api, 'POST', '/v1/practitioners', { teamId, name: email.split('@')[0], email, role }),
    );
  const team = async (area: string, key: string, name: string, service: string): Promise<SeededTeam> => {
    const created = await ok<{ id: string }>(
      api.call('POST', '/v1/teams', { as, body: { areaCode: area, name, service, mailbox: `${key}@${area}.test` } }),
    );
    return {
      id: created.id,
      area,
      practitioner: await person(created.id, `${key}.worker@${area}.test`, 'practitioner'),
      manager: await person(created.id, `${key}.manager@${area}.test`, 'manager'),
    };
  };
  const area = async (code: string, name: string) => ok(api.call('POST', '/v1/areas', { as, body: { code, name } }));
  await area('birmingham', 'Birmingham');
  await area('sandwell', 'Sandwell');
  await area('dudley', 'Dudley');
  const bCsc = await team('birmingham', 'csc', 'Birmingham Children’s Social Care', 'childrens_social_care');
  const bHv = await team('birmingham', 'hv', 'Birmingham Health Visiting', 'health_visiting');
  const sCsc = await team('sandwell', 'csc', 'Sandwell Children’s Social Care', 'childrens_social_care');
  const sHv = await team('sandwell', 'hv', 'Sandwell Health Visiting', 'health_visiting');
  const dCsc = await team('dudley', 'csc', 'Dudley Children’s Social Care', 'childrens_social_care');
  return {
    birmingham: { csc: bCsc, hv: bHv, lead: await person(bCsc.id, 'lead@birmingham.test', 'safeguarding_lead') },
    sandwell: { csc: sCsc, hv: sHv, lead: await person(sCsc.id, 'lead@sandwell.test', 'safeguarding_lead') },
    dudley: { csc: dCsc, lead: await person(dCsc.id, 'lead@dudley.test', 'safeguarding_lead') },
  };
}
