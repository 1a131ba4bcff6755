import { createViewEnvironment } from '../view.service.js';
import { transferPage } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/**
 * The console's host-notification and move-review pages (issue 13 items 2 and 3) render from the
 * API's resource: the transfer page says who stays responsible and links a move review to its page.
 */
describe('host notification and move review pages', () => {
  const env = createViewEnvironment();
  const t = {
    id: '10000000-0000-4000-8000-000000000000',
    reference: 'HT-2026-000042',
    status: 'notification_acknowledged',
    version: 5,
    involvement: 'child_in_need',
    moveDate: '2026-11-20',
    moveType: 'temporary',
    expectedUntil: '2027-06-30',
    reviewOn: null,
    shortStayChoice: null,
    kind: 'host_notification',
    hostNotificationGrounds: ['statutory_order'],
    hostContact: { id: 'p2', name: 'Harriet Shaw' },
    reason: null,
    newAddress: null,
    leftSupportNetwork: false,
    supportNetworkNote: null,
    noMaleCarerReason: null,
    sending: { area: 'birmingham', teamId: 's', teamName: 'Birmingham Health Visiting' },
    receiving: { area: 'sandwell', teamId: 'r', teamName: 'Sandwell Health Visiting' },
    accountablePractitioner: { id: 'p1', name: 'Hana Begum', teamId: 's' },
    household: [],
    concerns: [],
    appointments: [],
    riskFlags: [],
    contactDueAt: null,
    overdue: false,
    directContact: null,
    latestPacket: null,
    availableActions: [],
    initiatedAt: '2026-11-23T10:00:00Z',
    acceptedAt: null,
    returnReason: null,
    cancelReason: null,
  } as unknown as Transfer;
  const item = {
    id: '20000000-0000-4000-8000-000000000000',
    kind: 'move_review',
    status: 'open',
    ownerId: 'p1',
    nextChaseAt: '2027-02-12T09:00:00Z',
    escalationLevel: 0,
  };
  const base = { csrfToken: 'x', errors: { errorList: [], fields: {} }, title: 't' };

  it('the transfer page names a host notification, its contact, the temporary move and the move-review link', () => {
    const html = env.render('pages/transfer.njk', {
      ...base,
      ...transferPage(t, [item as never], null, [{ id: 'p1', name: 'Hana Begum' } as never], null),
    });
    expect(html).toContain('<strong>Host notification.</strong> Birmingham Health Visiting stays responsible for good');
    expect(html).toContain('a child subject to a statutory order');
    expect(html).toContain('Host team contact');
    expect(html).toContain('Expected to end');
    expect(html).toContain(`href="/transfers/${t.id}/move-review/${item.id}">Answer the move review</a>`);
    expect(html).toContain('Notification acknowledged');
  });

  it('a transfer of responsibility shows none of it', () => {
    const plain = { ...t, kind: 'transfer', moveType: 'permanent', hostContact: null, status: 'accepted' } as Transfer;
    const html = env.render('pages/transfer.njk', { ...base, ...transferPage(plain, [], null, [], null) });
    expect(html).not.toContain('Host notification');
    expect(html).not.toContain('Temporary move');
  });

  it('the acknowledgement page offers the host team’s practitioners as the contact', () => {
    const html = env.render('pages/acknowledge-notification.njk', {
      ...base,
      t,
      version: 5,
      idempotencyKey: 'k',
      back: '/',
      contacts: [{ value: 'p2', text: 'Harriet Shaw (you)', checked: true }],
    });
    expect(html).toContain(`action="/transfers/${t.id}/acknowledge-notification"`);
    expect(html).toContain('Who will be the contact in Sandwell Health Visiting?');
    expect(html).toContain('Harriet Shaw (you)');
  });

  it('the move-review page asks the question with both answers and the next review date', () => {
    const html = env.render('pages/move-review.njk', {
      ...base,
      t,
      itemId: item.id,
      idempotencyKey: 'k',
      back: '/',
      form: {},
    });
    expect(html).toContain('Is the move now permanent?');
    expect(html).toContain('value="now_permanent"');
    expect(html).toContain('value="still_temporary"');
    expect(html).toContain('When should the move be reviewed again?');
  });
});
