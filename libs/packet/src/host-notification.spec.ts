import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { reviewRecord } from './packet.fixture';
import { renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

/** The packet shows the kind, the host team's contact and the temporary-move record (issue 13 items 2, 3, 6). */
describe('packet: host notifications and temporary moves', () => {
  const base = reviewRecord();
  const hostRecord = reviewRecord({
    transfer: {
      ...base.transfer,
      kind: 'host_notification',
      hostContactPractitionerName: 'Harriet Shaw',
      moveType: 'temporary',
      expectedUntil: '2026-11-20',
      reviewOn: null,
      shortStayChoice: { recordAs: 'host_notification', reason: 'a week in the refuge, then home' },
    },
    members: base.members.map((m) =>
      m.role === 'child' && m.ref === 'baby' ? { ...m, statutoryOrder: 'care_order' } : m,
    ),
  });
  const host = buildPacket(hostRecord);

  it('names a host notification, why, its contact, and that the sending team stays responsible', () => {
    expect(host.transfer.hostNotification).toEqual({
      grounds: [
        expect.stringMatching(/is subject to a care order$/),
        'a short temporary stay the sending team chose to record as a host notification',
      ],
      contactName: 'Harriet Shaw',
      text: expect.stringContaining('Host team contact: Harriet Shaw.'),
    });
    expect(host.transfer.accountablePractitioner.text).toMatch(/stays responsible for good/);
  });

  it('records the temporary move: when it ends, the short-stay choice and its reason', () => {
    expect(host.transfer.move.temporary).toEqual({
      expectedUntil: '2026-11-20',
      reviewOn: null,
      shortStayChoice: { recordAs: 'host_notification', reason: 'a week in the refuge, then home' },
      text: expect.stringContaining('a week in the refuge, then home'),
    });
  });

  it('leaves a permanent transfer’s packet as it was (no new fields, the same hash)', () => {
    const plain = buildPacket(reviewRecord());
    expect(plain.transfer.hostNotification).toBeUndefined();
    expect(plain.transfer.move.temporary).toBeUndefined();
    const withKind = buildPacket(reviewRecord({ transfer: { ...base.transfer, kind: 'transfer' } }));
    expect(sealed(withKind).sha256).toBe(sealed(plain).sha256);
  });

  it('prints both in the PDF key facts', async () => {
    const pdf = await renderPacketPdf(host, {
      version: 1,
      sha256: sealed(host).sha256,
      generatedAt: new Date('2026-11-24T11:01:00Z'),
    });
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Host notification A host notification, not a transfer of responsibility');
    expect(text).toContain('Host team contact: Harriet Shaw.');
    expect(text).toContain('Temporary move Temporary move: expected to end on');
  }, 30_000);
});
