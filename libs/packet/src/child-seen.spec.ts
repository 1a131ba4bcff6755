import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { sectionOf } from './packet.document';
import { BABY, reviewRecord, SIBLING } from './packet.fixture';
import { renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

/** The packet shows, for each child, seen in the new area or not (issue 14 item 1). */
describe('packet: each child seen in the new area or not', () => {
  const record = reviewRecord();
  const packet = buildPacket({
    ...record,
    childrenSeen: [
      {
        memberId: BABY,
        status: 'closed',
        resolution: 'seen',
        dueOn: '2026-11-30',
        seen: { seenOn: '2026-11-25', seenByName: 'Hana Begum', where: 'home', seenAlone: false, note: 'in her cot' },
      },
      { memberId: SIBLING, status: 'open', resolution: null, dueOn: '2026-12-08', seen: null },
    ],
  });
  const children = sectionOf(packet, 'children').children;

  it('says when, where, by whom and whether alone for a child seen, and the due date for one not yet seen', () => {
    const [baby, sibling] = [BABY, SIBLING].map((id) => children.find((c) => c.memberId === id)!.seenInNewArea!);
    expect(baby).toEqual(
      expect.objectContaining({
        status: 'seen',
        seenOn: '2026-11-25',
        where: 'home',
        seenAlone: false,
        seenByName: 'Hana Begum',
      }),
    );
    expect(baby.text).toMatch(
      /^Seen at home on Wed 25 Nov 2026 by Hana Begum, not seen alone \(\d+ working days? after the move\): in her cot$/,
    );
    expect(sibling).toEqual(expect.objectContaining({ status: 'not_seen', dueOn: '2026-12-08', seenOn: null }));
    expect(sibling.text).toMatch(
      /^Not yet seen in the new area as of Mon 23 Nov 2026: \d+ working days? since the move; due to be seen by Tue 8 Dec 2026$/,
    );
  });

  it('a packet made before initiation (no child_seen items) says nothing of it and hashes as before', () => {
    const before = buildPacket(record);
    expect(sectionOf(before, 'children').children.every((c) => !('seenInNewArea' in c))).toBe(true);
    expect(JSON.stringify(buildPacket({ ...record, childrenSeen: [] }))).toBe(JSON.stringify(before));
  });

  it('the PDF says it under each child, the one not yet seen in bold', async () => {
    const pdf = await renderPacketPdf(packet, { version: 1, sha256: sealed(packet).sha256, generatedAt: new Date() });
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Seen in the new area: Seen at home on Wed 25 Nov 2026 by Hana Begum, not seen alone');
    expect(text).toMatch(/Seen in the new area: Not yet seen in the new area as of .*due to be seen by Tue 8 Dec 2026/);
  }, 30_000);
});
