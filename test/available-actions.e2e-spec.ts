import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

type Entry = { action: string; allowed: boolean; reasons?: { code: string; message: string }[]; flagCode?: string };

/** action (and flag) → true, or its refusal codes: what a page would show as buttons. */
const table = (actions: Entry[]) =>
  Object.fromEntries(
    actions.map((a) => [
      a.flagCode ? `${a.action}:${a.flagCode}` : a.action,
      a.allowed ? true : a.reasons!.map((r) => r.code),
    ]),
  );

describe('availableActions on the transfer resource', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let id: string;
  let sender: string;
  let receiver: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
  });
  afterAll(() => api.close());

  const view = async (as: string) => {
    const response = await api.call('GET', `/v1/transfers/${id}`, { as });
    expect(response.status).toBe(200);
    return response.body as { status: string; availableActions: Entry[] };
  };
  const actionsOf = async (as: string) => table((await view(as)).availableActions);
  const post = async (as: string, path: string, body?: unknown) => {
    const response = await api.call('POST', `/v1/transfers/${id}${path}`, { as, body });
    expect(response.status).toBe(200);
    return response.body as { status: string; availableActions: Entry[] };
  };

  it('walks the review family from draft to accepted, each person seeing what they can do and why not', async () => {
    // draft: the sending health visitor
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect(table(created.body.availableActions)).toEqual({
      update: true,
      initiate: true,
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
    });
    // a colleague who is not accountable may edit, but not send or cancel; their manager may, and reassigns
    expect(await actionsOf(dir.birmingham.hv.manager.email)).toEqual({
      update: true,
      initiate: true,
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
      reassign: true,
    });
    // the receiving side cannot see a draft at all
    expect((await api.call('GET', `/v1/transfers/${id}`, { as: receiver })).status).toBe(404);

    // awaiting contact
    const initiated = await post(sender, '/initiate');
    expect(table(initiated.availableActions)).toEqual({
      update: ['NOT_ALLOWED_FROM_STATUS'],
      initiate: ['NOT_ALLOWED_FROM_STATUS'],
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
    });
    expect(await actionsOf(receiver)).toEqual({
      recordContact: true,
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: true,
    });
    const accept = (await view(receiver)).availableActions.find((a) => a.action === 'accept');
    expect(accept!.reasons).toEqual([
      {
        code: 'NOT_ALLOWED_FROM_STATUS',
        message: 'cannot accept a transfer that is awaiting contact (allowed from: contact confirmed)',
      },
    ]);
    expect(await actionsOf(dir.sandwell.hv.manager.email)).toEqual({
      recordContact: true,
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: true,
      reassign: ['NOT_ACCOUNTABLE_SIDE_MANAGER'],
    });
    const leadView = await actionsOf(dir.sandwell.lead.email);
    expect(leadView).toEqual({
      'acknowledgeFlag:NON_MOBILE_INFANT_BRUISING': true,
      'acknowledgeFlag:SAFEGUARDING_ADVICE_NOT_SOUGHT': true,
    });
    expect(await actionsOf(dir.birmingham.lead.email)).toEqual(leadView);

    // contact recorded (the receiving practitioner's own response shows what is next for them)
    const flags = (await api.call('GET', `/v1/transfers/${id}`, { as: receiver })).body.riskFlags.map(
      (f: { code: string }) => ({
        code: f.code,
        understanding: 'understood',
      }),
    );
    const recorded = await post(receiver, '/direct-contact', {
      occurredAt: new Date().toISOString(),
      method: 'phone',
      sendingPractitionerId: dir.birmingham.hv.practitioner.id,
      summary: 'Talked it through',
      flagAcknowledgements: flags,
    });
    expect(recorded.status).toBe('contact_recorded');
    expect(table(recorded.availableActions)).toEqual({
      recordContact: ['NOT_ALLOWED_FROM_STATUS'],
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: true,
    });
    expect((await actionsOf(sender)).confirmContact).toBe(true);
    // the sending manager is neither the participant nor accountable: a reason says who can
    const other = (await view(dir.birmingham.hv.manager.email)).availableActions.find(
      (a) => a.action === 'confirmContact',
    );
    expect(other).toEqual({
      action: 'confirmContact',
      allowed: false,
      reasons: [
        {
          code: 'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
          message:
            'only the sending practitioner who took part in the conversation, or the accountable practitioner, can check the record back',
        },
      ],
    });

    // contact confirmed: acceptance waits for a safeguarding lead, and says so in words
    await post(sender, '/direct-contact/confirm', { agree: true });
    const waiting = (await view(receiver)).availableActions.find((a) => a.action === 'accept');
    expect(waiting).toEqual({
      action: 'accept',
      allowed: false,
      reasons: [
        {
          code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
          message:
            'a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: ' +
            'Bruising or injury on a baby who is not yet mobile; Safeguarding advice not sought about a bruise or injury',
        },
      ],
    });

    // the lead acknowledges one flag: one entry left, and the reason names only the other flag
    const once = await post(dir.sandwell.lead.email, '/flags/NON_MOBILE_INFANT_BRUISING/acknowledge', {
      advice: 'Child protection medical today',
    });
    expect(table(once.availableActions)).toEqual({ 'acknowledgeFlag:SAFEGUARDING_ADVICE_NOT_SOUGHT': true });
    expect((await view(receiver)).availableActions.find((a) => a.action === 'accept')!.reasons![0].message).toMatch(
      /still waiting: Safeguarding advice not sought about a bruise or injury$/,
    );
    const both = await post(dir.birmingham.lead.email, '/flags/SAFEGUARDING_ADVICE_NOT_SOUGHT/acknowledge', {
      advice: 'Strategy discussion with MASH',
    });
    expect(both.availableActions).toEqual([]);
    expect(await actionsOf(receiver)).toEqual({
      recordContact: ['NOT_ALLOWED_FROM_STATUS'],
      accept: true,
      return: true,
    });

    // accepted: accountability moved to the receiving team
    const accepted = await post(receiver, '/accept', { leadPractitionerId: dir.sandwell.hv.practitioner.id });
    expect(accepted.status).toBe('accepted');
    expect(table(accepted.availableActions)).toEqual({
      recordContact: ['NOT_ALLOWED_FROM_STATUS'],
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: ['NOT_ALLOWED_FROM_STATUS'],
    });
    expect((await actionsOf(dir.sandwell.hv.manager.email)).reassign).toBe(true);
    expect((await actionsOf(dir.birmingham.hv.manager.email)).reassign).toEqual(['NOT_ACCOUNTABLE_SIDE_MANAGER']);
  });

  it('answers 404, with no actions, to an admin and to people outside the two areas', async () => {
    for (const who of [
      ADMIN_EMAIL,
      dir.dudley.lead.email,
      dir.dudley.csc.practitioner.email,
      dir.birmingham.csc.practitioner.email,
    ]) {
      const response = await api.call('GET', `/v1/transfers/${id}`, { as: who });
      expect(response.status).toBe(404);
      expect(response.body.availableActions).toBeUndefined();
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/docs/openapi.json')).body;
    const get = doc.paths['/v1/transfers/{id}'].get.responses['200'];
    expect(get.content['application/json'].schema.$ref).toBe('#/components/schemas/TransferResourceDoc');
    const action = doc.components.schemas.AvailableActionDoc;
    expect(action.properties.action.enum).toEqual([
      'update',
      'initiate',
      'recordContact',
      'confirmContact',
      'acknowledgeFlag',
      'accept',
      'acknowledgeNotification',
      'recordConference',
      'confirmConference',
      'return',
      'cancel',
      'reassign',
    ]);
    expect(Object.keys(doc.components.schemas.ActionRefusalDoc.properties)).toEqual(['code', 'message']);
  });
});
