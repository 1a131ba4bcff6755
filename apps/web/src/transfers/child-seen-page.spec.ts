import { createViewEnvironment } from '../view.service.js';
import type { Practitioner } from '../common/web-request.js';
import { transferPage } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/**
 * The console's child-seen pieces (issue 14 item 1): the transfer page says, for each child, seen or
 * not and for how many working days since the move, and offers "Record as seen" to the receiving
 * team only; the form asks when, who, where and whether alone.
 */
describe('child seen', () => {
  const env = createViewEnvironment();
  const seenBaby = {
    memberId: 'm1',
    seen: true,
    dueOn: '2026-11-27',
    overdue: false,
    workingDaysSinceMove: 3,
    itemStatus: 'closed',
    resolution: 'seen',
    seenOn: '2026-11-25',
    seenBy: { id: 'p2', name: 'Hana Begum' },
    where: 'home',
    seenAlone: false,
    note: null,
  };
  const unseenToddler = {
    memberId: 'm2',
    seen: false,
    dueOn: '2026-12-04',
    overdue: true,
    workingDaysSinceMove: 12,
    itemStatus: 'open',
    resolution: null,
    seenOn: null,
    seenBy: null,
    where: null,
    seenAlone: null,
    note: null,
  };
  const t = {
    id: '10000000-0000-4000-8000-000000000000',
    reference: 'HT-2026-000042',
    status: 'initiated',
    version: 3,
    kind: 'transfer',
    moveDate: '2026-11-20',
    sending: { area: 'birmingham', teamId: 's', teamName: 'Birmingham Health Visiting' },
    receiving: { area: 'sandwell', teamId: 'r', teamName: 'Sandwell Health Visiting' },
    accountablePractitioner: { id: 'p1', name: 'Mary Okafor', teamId: 's' },
    household: [
      {
        id: 'm1',
        role: 'child',
        givenName: 'Ada',
        familyName: 'Example',
        gp: { status: 'registered' },
        involvements: [],
        riskFactors: [],
      },
      {
        id: 'm2',
        role: 'child',
        givenName: 'Ben',
        familyName: 'Example',
        gp: { status: 'registered' },
        involvements: [],
        riskFactors: [],
      },
    ],
    childrenSeen: [seenBaby, unseenToddler],
    concerns: [],
    appointments: [],
    riskFlags: [],
    availableActions: [],
    directContact: null,
    latestPacket: null,
    initiatedAt: '2026-11-23T10:00:00Z',
  } as unknown as Transfer;
  const base = { csrfToken: 'x', errors: { errorList: [], fields: {} }, title: 't' };
  const receiver: Practitioner = { id: 'p2', name: 'Hana Begum', role: 'practitioner', teamId: 'r' };
  const sender: Practitioner = { id: 'p1', name: 'Mary Okafor', role: 'practitioner', teamId: 's' };
  const lead: Practitioner = { id: 'l1', name: 'Lead', role: 'safeguarding_lead', teamId: 'r' };

  it('shows each child seen or not, with working days since the move, and an overdue child as overdue', () => {
    const html = env.render('pages/transfer.njk', { ...base, ...transferPage(t, [], null, [], null, receiver) });
    expect(html).toContain('Children seen in the new area');
    expect(html).toContain(
      'Seen at home on 25 November 2026 by Hana Begum, not seen alone (3 working days after the move).',
    );
    expect(html).toContain('Not yet seen: 12 working days since the move; was due by 4 December 2026.');
    expect(html).toMatch(/govuk-tag--red[^>]*>\s*Overdue/);
    expect(html).toContain(`href="/transfers/${t.id}/children/m2/seen"`);
    expect(html).not.toContain(`/children/m1/seen"`);
  });

  it('offers "Record as seen" to the receiving team only, not the sending side or a lead', () => {
    for (const me of [sender, lead]) {
      const html = env.render('pages/transfer.njk', { ...base, ...transferPage(t, [], null, [], null, me) });
      expect(html).toContain('Not yet seen');
      expect(html).not.toContain('/seen"');
    }
  });

  it('the form asks when, who, where and whether alone, and keeps what was typed with the error at its field', () => {
    const html = env.render('pages/child-seen.njk', {
      ...base,
      errors: {
        errorList: [{ text: 'Select where the child was seen', href: '#where' }],
        fields: { where: { text: 'Select where the child was seen' } },
      },
      t,
      version: 3,
      idempotencyKey: 'k',
      back: `/transfers/${t.id}`,
      child: { id: 'm2', givenName: 'Ben', name: 'Ben Example', sinceMove: 'It is 12 working days since the move.' },
      seenBy: [{ value: 'p2', text: 'Hana Begum (you)', checked: true }],
      form: { 'seen-day': '30', seenAlone: 'yes', note: 'in the garden' },
    });
    expect(html).toContain(`action="/transfers/${t.id}/children/m2/seen"`);
    expect(html).toContain('Record Ben Example as seen');
    for (const value of ['home', 'clinic', 'school', 'other']) expect(html).toContain(`value="${value}"`);
    expect(html).toMatch(/name="seenById"[^>]*value="p2" checked/);
    expect(html).toMatch(/value="yes" checked/);
    expect(html).toMatch(/<span class="govuk-visually-hidden">Error:<\/span> Select where the child was seen/);
    expect(html).toContain('in the garden');
    expect(html).toMatch(/name="seen-day"[^>]*value="30"/);
  });
});
