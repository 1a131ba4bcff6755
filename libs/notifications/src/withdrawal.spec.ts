import { withdrawalReason } from './withdrawal';

describe('withdrawalReason', () => {
  it.each([
    ['transfer.initiated', 'cancelled', true],
    ['critical_flags', 'cancelled', true],
    ['contact.check_back', 'cancelled', true],
    ['reminder.direct_contact', 'cancelled', true],
    ['transfer.cancelled', 'cancelled', false],
    ['reminder.appointment', 'closed', true],
    ['transfer.accepted', 'closed', false],
    ['transfer.initiated', 'awaiting_contact', false],
    ['reminder.gp_registration', 'accepted', false],
    ['digest.daily', null, false],
  ] as const)('%s when the transfer is %s: withdrawn %s', (kind, status, withdrawn) => {
    expect(withdrawalReason(kind, status) !== null).toBe(withdrawn);
  });
});
