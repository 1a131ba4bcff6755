import { confidentialAddressText, mayReadConfidentialAddress, namedOnTransfer } from './confidential-address.js';
import {
  accepted,
  admin,
  contactRecorded,
  draftOf,
  initiated,
  londonPrac,
  otherBhamPrac,
  recvMgr,
  recvPrac,
  recvPrac2,
  sendMgr,
  sendPrac,
  sendPrac2,
  slBham,
  slLondon,
  slSand,
} from './lifecycle.fixture.js';
import { SYSTEM_ACTOR, type Actor, type TransferState } from './lifecycle/index.js';

const readers = (s: TransferState, who: readonly Actor[], interimLeadId?: string) =>
  who.filter((a) => mayReadConfidentialAddress(interimLeadId ? { ...s, interimLeadId } : s, a)).map((a) => a.id);

const EVERYONE = [
  sendPrac,
  sendPrac2,
  sendMgr,
  otherBhamPrac,
  recvPrac,
  recvPrac2,
  recvMgr,
  slBham,
  slSand,
  slLondon,
  londonPrac,
  admin,
  SYSTEM_ACTOR,
];

describe('who may read a confidential address (issue 13 item 5)', () => {
  it('in a draft: the accountable sending practitioner and the sending area’s lead only — not their manager or teammate', () => {
    expect(readers(draftOf(), EVERYONE)).toEqual([sendPrac.id, slBham.id]);
  });

  it('once initiated, the receiving area’s lead too; the receiving team, who see the transfer, do not', () => {
    expect(readers(initiated(), EVERYONE)).toEqual([sendPrac.id, slBham.id, slSand.id]);
  });

  it('the two people in the direct conversation', () => {
    // recvPrac recorded it with sendPrac; recvPrac2 and both managers still see only who to ask.
    expect(readers(contactRecorded(), EVERYONE)).toEqual([sendPrac.id, recvPrac.id, slBham.id, slSand.id]);
    expect([...namedOnTransfer(contactRecorded())].sort()).toEqual([recvPrac.id, sendPrac.id].sort());
  });

  it('the receiving lead once accepted (accountable), beside the people in the conversation', () => {
    expect(readers(accepted(), EVERYONE)).toEqual([sendPrac.id, recvPrac.id, recvPrac2.id, slBham.id, slSand.id]);
  });

  it('an interim lead named on the transfer', () => {
    expect(readers(initiated(), EVERYONE, recvPrac2.id)).toEqual([sendPrac.id, recvPrac2.id, slBham.id, slSand.id]);
  });

  it('never the system, an admin, or anyone who cannot see the transfer, even if named', () => {
    for (const who of [SYSTEM_ACTOR, admin, londonPrac, slLondon])
      expect(mayReadConfidentialAddress({ ...accepted(), interimLeadId: who.id }, who)).toBe(false);
    // The receiving lead's name on a draft (never visible to the receiving side) gives them nothing.
    expect(mayReadConfidentialAddress({ ...draftOf(), interimLeadId: recvPrac.id }, recvPrac)).toBe(false);
    expect(mayReadConfidentialAddress(draftOf(), slSand)).toBe(false);
  });

  it('tells everyone else whom to ask', () => {
    expect(confidentialAddressText('Hana Begum')).toBe('held confidentially — ask Hana Begum');
  });
});
