import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { reviewRecord } from './packet.fixture';
import { renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

/** The packet shows the lawful basis for sharing and whether the family was told (issue 13 item 4). */
describe('packet: the lawful basis and the family informed', () => {
  const record = reviewRecord();
  const withBasis = (transfer: Partial<(typeof record)['transfer']>) =>
    buildPacket({ ...record, transfer: { ...record.transfer, ...transfer } });

  it('consent: who gave it and when; the family told on a date', () => {
    const packet = withBasis({
      sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-16' },
      familyInformed: { on: '2026-11-17' },
    });
    expect(packet.transfer.sharingBasis?.text).toBe('Shared with consent, given by the mother on Mon 16 Nov 2026');
    expect(packet.transfer.familyInformed?.text).toBe('The family was told of the transfer on Tue 17 Nov 2026');
  });

  it('without consent: the rationale and the approving manager; the family not told, and why — both in the PDF', async () => {
    const packet = withBasis({
      sharingBasis: {
        basis: 'safeguarding_without_consent',
        rationale: 'the father must not learn where they are',
        approvedById: 'm-1',
        approvedBy: { name: 'Grace Manager' },
      },
      familyInformed: { notInformedReason: 'strategy discussion advised against it' },
    });
    expect(packet.transfer.sharingBasis).toEqual(
      expect.objectContaining({ basis: 'safeguarding_without_consent', approvedBy: 'Grace Manager' }),
    );
    const pdf = await renderPacketPdf(packet, { version: 1, sha256: sealed(packet).sha256, generatedAt: new Date() });
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(
      'Lawful basis Shared WITHOUT consent, to safeguard the child, approved by Grace Manager: the father must not learn where they are',
    );
    expect(text).toContain(
      'The family told The family has NOT been told of the transfer: strategy discussion advised against it',
    );
  }, 30_000);

  it('a packet made before the rule says nothing of them and hashes as before', () => {
    const before = buildPacket(record);
    expect('sharingBasis' in before.transfer || 'familyInformed' in before.transfer).toBe(false);
    expect(sealed(withBasis({ sharingBasis: null, familyInformed: null })).sha256).toBe(sealed(before).sha256);
  });
});
