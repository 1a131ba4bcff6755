import { DataSource } from 'typeorm';
import { ensureSecondAdmin, SECOND_ADMIN_EMAIL, seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

/**
 * Issue 12 item 1 (four eyes on the directory) and item 13 (names without control or bidi
 * characters; non-admins see only the directory they need).
 */
describe('separation of duties in the directory', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  const THIRD_ADMIN = 'third.admin@handover.test';
  const idOf = async (email: string) =>
    (await api.call('GET', '/v1/practitioners', { as: ADMIN_EMAIL })).body.find(
      (p: { email: string }) => p.email === email,
    );
  const audit = (action: string) =>
    ds.query(
      `SELECT actor_id AS "actorId", entity_id AS "entityId", outcome, reason_code AS "reasonCode", details
       FROM audit_events WHERE action = $1 ORDER BY id`,
      [action],
    );

  beforeAll(async () => {
    api = await startApi();
    ds = api.app.get(DataSource);
    await ensureSecondAdmin(api);
    dir = await seedDirectory(api);
  }, 60_000);
  afterAll(() => api.close());

  it('refuses anyone changing their own role, team or active state (403), and changes nothing', async () => {
    const second = await idOf(SECOND_ADMIN_EMAIL);
    for (const body of [
      { role: 'safeguarding_lead', teamId: dir.sandwell.csc.id },
      { teamId: dir.sandwell.csc.id },
      { active: false },
      { role: 'practitioner', teamId: dir.sandwell.csc.id },
    ]) {
      const response = await api.call('PATCH', `/v1/practitioners/${second.id}`, { as: SECOND_ADMIN_EMAIL, body });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN',
        message: ['nobody changes their own role, team or active state: ask another admin'],
      });
    }
    expect(await idOf(SECOND_ADMIN_EMAIL)).toEqual(expect.objectContaining({ role: 'admin', teamId: null }));
    // The family the review found reachable stays out of reach.
    const family = await api.call('POST', '/v1/transfers', {
      as: dir.birmingham.hv.practitioner.email,
      body: reviewFamily(dir.sandwell.hv.id),
    });
    expect(family.status).toBe(201);
    expect([403, 404]).toContain(
      (await api.call('GET', `/v1/transfers/${family.body.id}`, { as: SECOND_ADMIN_EMAIL })).status,
    );
    const refused = (await audit('practitioner.update')).filter((r: { outcome: string }) => r.outcome === 'refused');
    expect(refused.filter((r: { reasonCode: string }) => r.reasonCode === 'FORBIDDEN')).toHaveLength(4);
  });

  it('lets a lead role take effect only when a second admin approves it, and tells the area’s leads without naming anyone', async () => {
    const second = await idOf(SECOND_ADMIN_EMAIL);
    const proposed = await api.call('PATCH', `/v1/practitioners/${second.id}`, {
      as: ADMIN_EMAIL,
      body: { role: 'safeguarding_lead', teamId: dir.sandwell.csc.id },
    });
    expect(proposed.status).toBe(202);
    expect(proposed.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        kind: 'update',
        status: 'pending',
        practitionerId: second.id,
        reason: 'grants the safeguarding_lead role',
        from: { role: 'admin', teamId: null },
        to: { role: 'safeguarding_lead', teamId: dir.sandwell.csc.id },
      }),
    );
    // Not yet in effect.
    expect(await idOf(SECOND_ADMIN_EMAIL)).toEqual(expect.objectContaining({ role: 'admin', teamId: null }));
    const changeId = proposed.body.id;
    // Neither the proposer nor the change's subject may approve it.
    const byProposer = await api.call('POST', `/v1/practitioner-changes/${changeId}/approve`, { as: ADMIN_EMAIL });
    expect(byProposer.status).toBe(403);
    expect(byProposer.body.message).toEqual([
      'a change needs a second admin: the admin who proposed it cannot approve it',
    ]);
    const bySubject = await api.call('POST', `/v1/practitioner-changes/${changeId}/approve`, {
      as: SECOND_ADMIN_EMAIL,
    });
    expect(bySubject.status).toBe(403);
    expect(bySubject.body.message).toEqual(['nobody approves a change to their own directory record']);
    expect(
      (await api.call('GET', '/v1/practitioner-changes?status=pending', { as: ADMIN_EMAIL })).body.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain(changeId);
    expect((await api.call('GET', '/v1/practitioner-changes', { as: dir.sandwell.lead.email })).status).toBe(403);

    // A third admin: with two admins already, granting admin needs approval too.
    const third = await api.call('POST', '/v1/practitioners', {
      as: ADMIN_EMAIL,
      body: { name: 'Third Admin', email: THIRD_ADMIN, role: 'admin' },
    });
    expect(third.status).toBe(202);
    expect(third.body.reason).toBe('grants the admin role');
    expect(await idOf(THIRD_ADMIN)).toBeUndefined();
    const thirdApproved = await api.call('POST', `/v1/practitioner-changes/${third.body.id}/approve`, {
      as: SECOND_ADMIN_EMAIL,
    });
    expect(thirdApproved.status).toBe(200);
    expect(thirdApproved.body.practitioner).toEqual(expect.objectContaining({ email: THIRD_ADMIN, role: 'admin' }));

    const approvedNow = await api.call('POST', `/v1/practitioner-changes/${changeId}/approve`, { as: THIRD_ADMIN });
    expect(approvedNow.status).toBe(200);
    expect(approvedNow.body.change).toEqual(
      expect.objectContaining({ status: 'approved', decidedBy: expect.any(String) }),
    );
    expect(approvedNow.body.practitioner).toEqual(
      expect.objectContaining({ id: second.id, role: 'safeguarding_lead', teamId: dir.sandwell.csc.id }),
    );
    const again = await api.call('POST', `/v1/practitioner-changes/${changeId}/approve`, { as: THIRD_ADMIN });
    expect(again.status).toBe(422);
    expect(again.body.message).toEqual(['this change is already approved']);

    // Sandwell's leads are told, with the team and area only.
    const emails: { recipient: string; subject: string; body: string }[] = await ds.query(
      `SELECT recipient, subject, body FROM emails WHERE kind = 'directory.lead_granted' ORDER BY recipient`,
    );
    expect(emails.map((e) => e.recipient)).toEqual([dir.sandwell.lead.email]);
    expect(emails[0].body).toContain(
      'A practitioner in Sandwell Children’s Social Care (Sandwell) was granted the safeguarding lead role; see the directory.',
    );
    for (const e of emails) {
      expect(`${e.subject}\n${e.body}`).not.toMatch(/second|admin@|Second Admin/i);
    }
    expect(
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM outbox WHERE payload->>'emailId' IN (SELECT id::text FROM emails WHERE kind = 'directory.lead_granted')`,
        )
      )[0].n,
    ).toBe(1);

    // Audited with what it changed from and to: the proposal, the approval, and the change itself.
    expect((await audit('practitioner.update.proposed')).at(-1)).toEqual(
      expect.objectContaining({
        outcome: 'succeeded',
        entityId: second.id,
        details: expect.objectContaining({
          pendingChangeId: changeId,
          from: { role: 'admin', teamId: null },
          to: { role: 'safeguarding_lead', teamId: dir.sandwell.csc.id },
        }),
      }),
    );
    const applied = (await audit('practitioner.update')).filter(
      (r: { details: { changeId?: string } | null }) => r.details?.changeId === changeId,
    );
    expect(applied).toEqual([
      expect.objectContaining({
        entityId: second.id,
        details: expect.objectContaining({
          from: { role: 'admin', teamId: null },
          to: { role: 'safeguarding_lead', teamId: dir.sandwell.csc.id },
        }),
      }),
    ]);
    const approvals = await audit('practitioner_change.approve');
    expect(approvals.filter((r: { outcome: string }) => r.outcome === 'refused')).toHaveLength(3);
  });

  it('holds a new practitioner in a team until a second admin approves it: no sign-in, no second identity', async () => {
    const alias = 'second.admin.alias@sandwell.test';
    const proposed = await api.call('POST', '/v1/practitioners', {
      as: THIRD_ADMIN,
      body: { teamId: dir.sandwell.csc.id, name: 'Alias', email: alias, role: 'practitioner' },
    });
    expect(proposed.status).toBe(202);
    expect(proposed.body).toEqual(
      expect.objectContaining({ kind: 'create', reason: 'creates a practitioner in a team', practitionerId: null }),
    );
    expect(await idOf(alias)).toBeUndefined();
    const signIn = await api.call('GET', '/v1/teams', { as: alias });
    expect(signIn.status).toBe(403);
    // The same email cannot be proposed twice while pending.
    const twice = await api.call('POST', '/v1/practitioners', {
      as: ADMIN_EMAIL,
      body: { teamId: dir.sandwell.csc.id, name: 'Alias', email: alias.toUpperCase(), role: 'manager' },
    });
    expect(twice.status).toBe(409);
    // The proposer withdraws it; nothing was ever created.
    const rejected = await api.call('POST', `/v1/practitioner-changes/${proposed.body.id}/reject`, { as: THIRD_ADMIN });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    const late = await api.call('POST', `/v1/practitioner-changes/${proposed.body.id}/approve`, { as: ADMIN_EMAIL });
    expect(late.status).toBe(422);
    expect(await idOf(alias)).toBeUndefined();
    expect((await api.call('GET', '/v1/practitioner-changes/not-a-uuid', { as: ADMIN_EMAIL })).status).toBe(400);
    expect(
      (
        await api.call('POST', '/v1/practitioner-changes/6f1c2f7e-58e5-4b53-9d8a-3b8f7f9f1a11/approve', {
          as: ADMIN_EMAIL,
        })
      ).status,
    ).toBe(404);
  });

  it('makes a change that grants no access at once, and audits it from → to', async () => {
    const worker = dir.dudley.csc.practitioner;
    const renamed = await api.call('PATCH', `/v1/practitioners/${worker.id}`, {
      as: ADMIN_EMAIL,
      body: { name: 'Dudley Worker', active: false },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual(expect.objectContaining({ name: 'Dudley Worker', active: false }));
    const row = (await audit('practitioner.update')).at(-1);
    expect(row).toEqual(
      expect.objectContaining({
        outcome: 'succeeded',
        entityId: worker.id,
        details: expect.objectContaining({
          from: { active: true, name: 'csc.worker' },
          to: { active: false, name: 'Dudley Worker' },
        }),
      }),
    );
    // Moving someone to another team, even without a new role, waits for approval.
    const moved = await api.call('PATCH', `/v1/practitioners/${dir.dudley.csc.manager.id}`, {
      as: ADMIN_EMAIL,
      body: { teamId: dir.sandwell.hv.id },
    });
    expect(moved.status).toBe(202);
    expect(moved.body.reason).toBe('moves a practitioner into a team');
  });

  it('refuses control and bidirectional override characters in area, team and person names (400)', async () => {
    const bad = ['Evil\u202Eteam', 'Bell\u0007', 'Line\nbreak', 'Iso\u2066late', 'Mark\u200F', 'C1\u0085'];
    for (const name of bad) {
      const team = await api.call('POST', '/v1/teams', {
        as: ADMIN_EMAIL,
        body: { areaCode: 'sandwell', name, service: 'other', mailbox: 'x@sandwell.test' },
      });
      expect(team.status).toBe(400);
      expect(team.body.message).toEqual([
        'name must not contain control characters or bidirectional override characters',
      ]);
      const person = await api.call('POST', '/v1/practitioners', {
        as: ADMIN_EMAIL,
        body: { teamId: dir.sandwell.hv.id, name, email: 'bidi@sandwell.test', role: 'practitioner' },
      });
      expect(person.status).toBe(400);
      const rename = await api.call('PATCH', `/v1/practitioners/${dir.sandwell.hv.practitioner.id}`, {
        as: ADMIN_EMAIL,
        body: { name },
      });
      expect(rename.status).toBe(400);
      const area = await api.call('POST', '/v1/areas', { as: ADMIN_EMAIL, body: { code: 'walsall', name } });
      expect(area.status).toBe(400);
    }
    // Ordinary names in any script still pass.
    const fine = await api.call('POST', '/v1/teams', {
      as: ADMIN_EMAIL,
      body: { areaCode: 'sandwell', name: 'Tîm Iechyd — صحة', service: 'other', mailbox: 'y@sandwell.test' },
    });
    expect(fine.status).toBe(201);
    expect(await ds.query(`SELECT name FROM teams WHERE name ~ '[\\u202e\\u0007\\u2066]'`)).toEqual([]);
  });

  it('shows non-admins only what they need: names, roles and teams of non-admins, and no one else’s address', async () => {
    const me = dir.sandwell.hv.practitioner;
    const list = await api.call('GET', '/v1/practitioners', { as: me.email });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(5);
    for (const p of list.body) {
      expect(Object.keys(p).sort()).toEqual(
        p.id === me.id
          ? ['active', 'email', 'id', 'name', 'role', 'teamId']
          : ['active', 'id', 'name', 'role', 'teamId'],
      );
      expect(p.role).not.toBe('admin');
    }
    expect(list.body.find((p: { id: string }) => p.id === me.id).email).toBe(me.email);
    expect(JSON.stringify(list.body)).not.toContain('handover.test');
    // A receiving lead can still be picked by name, role and team.
    const team = await api.call('GET', `/v1/practitioners?teamId=${dir.sandwell.csc.id}`, { as: me.email });
    expect(team.body.map((p: { role: string }) => p.role)).toContain('safeguarding_lead');
    // Admins still see everything.
    const all = await api.call('GET', '/v1/practitioners', { as: ADMIN_EMAIL });
    expect(all.body.find((p: { email: string }) => p.email === ADMIN_EMAIL)).toEqual(
      expect.objectContaining({ role: 'admin' }),
    );
  });
});
