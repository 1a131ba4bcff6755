import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { reviewRecord } from './packet.fixture';
import { renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

/** The packet shows the family-not-reached route and its checklist (issue 14 items 2 and 6). */
describe('packet: the family not reached', () => {
  const record = reviewRecord();
  const route = {
    openedAt: new Date('2026-11-24T10:00:00Z'),
    openedById: 'p-recv',
    attempts: [
      { on: '2026-11-23', method: 'home_visit_no_access' as const, note: 'curtains drawn' },
      { on: '2026-11-24', method: 'phone_no_answer' as const, note: null },
    ],
    checks: [
      {
        check: 'education_setting' as const,
        found: 'not on roll at the nursery',
        pupilFileMoved: false,
        closedAt: new Date('2026-11-25T10:00:00Z'),
        closedById: 'p-recv',
      },
      { check: 'police_welfare_check' as const, found: null, pupilFileMoved: null, closedAt: null, closedById: null },
    ],
    nationalAlertDueAt: new Date('2026-12-01T17:00:00Z'),
    nationalAlert: null,
    found: null,
  };

  it('an open route: the attempts, each check done or not, and when the national-alert decision is due', async () => {
    const packet = buildPacket({ ...record, notReached: route });
    const r = packet.transfer.familyNotReached!;
    expect(r.open).toBe(true);
    expect(r.text).toMatch(/^FAMILY NOT REACHED since .+: 2 attempts failed; 1 of 2 locate checks done$/);
    expect(r.attempts.map((a) => a.methodText)).toEqual(['home visit, no access', 'phone call, no answer']);
    expect(r.checks.map((c) => [c.check, c.done, c.found])).toEqual([
      ['education_setting', true, 'not on roll at the nursery'],
      ['police_welfare_check', false, null],
    ]);
    expect(r.nationalAlertText).toMatch(/^A safeguarding lead must decide on a national alert by /);
    const pdf = await renderPacketPdf(packet, { version: 1, sha256: sealed(packet).sha256, generatedAt: new Date() });
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Family not reached FAMILY NOT REACHED since');
    expect(text).toContain('Mon 23 Nov 2026: home visit, no access (curtains drawn)');
    expect(text).toMatch(/Police asked for a concern- ?for-welfare check: NOT YET DONE/);
    expect(text).toContain('(pupil file not moved)');
  }, 30_000);

  it('found: stays in the packet with how, and the alert decision as made', () => {
    const packet = buildPacket({
      ...record,
      notReached: {
        ...route,
        nationalAlert: {
          raised: true,
          reference: 'NA-123',
          decidedAt: new Date('2026-11-30T10:00:00Z'),
          decidedById: 'sl-sand',
        },
        found: { on: '2026-12-01', how: 'staying with the grandmother in Dudley', recordedById: 'p-recv' },
      },
    });
    const r = packet.transfer.familyNotReached!;
    expect(r.open).toBe(false);
    expect(r.foundText).toBe('Found on Tue 1 Dec 2026: staying with the grandmother in Dudley');
    expect(r.nationalAlertText).toMatch(/^National alert raised \(reference NA-123\) on /);
  });

  it('a packet of a transfer never not reached says nothing of it and hashes as before', () => {
    expect(sealed(buildPacket({ ...record, notReached: null })).sha256).toBe(sealed(buildPacket(record)).sha256);
  });
});
