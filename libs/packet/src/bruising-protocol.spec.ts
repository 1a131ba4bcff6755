import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { sectionOf } from './packet.document';
import { BABY, memberRecord, reviewRecord, SIBLING } from './packet.fixture';
import type { PacketSourceConcern } from './packet.source';
import { renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

/**
 * The packet shows the bruising protocol (issue 14 item 4): for a bruise on a child not independently
 * mobile, each item recorded or missing; on the flag, what is still missing; with the lead's advice,
 * what was done about each missing item.
 */
describe('packet: the bruising protocol', () => {
  const bruise = (over: Partial<PacketSourceConcern> = {}): PacketSourceConcern => ({
    id: 'c-bruise',
    memberId: BABY,
    type: 'possible_bruise',
    observedOn: '2026-11-09',
    description: 'a mark behind the left ear',
    safeguardingAdviceSought: true,
    ...over,
  });
  const partly = reviewRecord({
    concerns: [
      bruise({
        healthAssessment: { by: 'Dr Ottoline Marchbanks', on: '2026-11-10' },
        parentsExplanation: 'she rolled against the cot bars',
      }),
    ],
    acknowledgements: [
      {
        code: 'NON_MOBILE_INFANT_BRUISING',
        advice: 'Seen today',
        actions: [
          { item: 'referral', action: 'Referred to Sandwell MASH by phone' },
          { item: 'multi_agency_discussion', action: 'Strategy discussion tomorrow at 10am' },
        ],
        acknowledgedById: 'lead-1',
        acknowledgedByName: 'Lena Novak',
        acknowledgedAt: new Date('2026-11-24T09:00:00Z'),
      },
    ],
  });
  const packet = buildPacket(partly);
  const concern = sectionOf(packet, 'concerns').concerns[0]!;
  const flag = packet.riskFlags.find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING')!;

  it('shows each item of the record, recorded or missing, under the concern', () => {
    expect(concern.typeText).toBe('A mark that might be a bruise');
    expect(concern.bruisingProtocol).toEqual({
      items: [
        {
          item: 'health_assessment',
          recorded: true,
          text: 'Health assessment: by Dr Ottoline Marchbanks, on Tue 10 Nov 2026',
        },
        { item: 'referral', recorded: false, text: 'Referral to children’s social care or MASH: NOT RECORDED' },
        { item: 'multi_agency_discussion', recorded: false, text: 'Multi-agency discussion: NOT RECORDED' },
        {
          item: 'parents_explanation',
          recorded: true,
          text: 'Parents’ explanation, in their words: “she rolled against the cot bars”',
        },
      ],
      missing: ['referral', 'multi_agency_discussion'],
      text: 'The child was not independently mobile when this was seen: the bruising protocol applies, and 2 items are not recorded.',
    });
  });

  it('lists what is missing on the flag, and what the lead said was done about each', () => {
    expect(flag.protocol).toEqual({
      missing: [
        { item: 'referral', text: 'Referral to children’s social care or MASH' },
        { item: 'multi_agency_discussion', text: 'Multi-agency discussion' },
      ],
      text: 'Bruising protocol still missing: referral to children’s social care or MASH; multi-agency discussion. A safeguarding lead’s acknowledgement must say what was done about each.',
    });
    expect(flag.safeguardingLead!.actions).toEqual([
      {
        item: 'referral',
        itemText: 'Referral to children’s social care or MASH',
        action: 'Referred to Sandwell MASH by phone',
      },
      {
        item: 'multi_agency_discussion',
        itemText: 'Multi-agency discussion',
        action: 'Strategy discussion tomorrow at 10am',
      },
    ]);
  });

  it('adds nothing where the protocol does not apply, so other packets hash as before', () => {
    const sibling = buildPacket(reviewRecord({ concerns: [bruise({ memberId: SIBLING, type: 'bruising' })] }));
    expect('bruisingProtocol' in sectionOf(sibling, 'concerns').concerns[0]!).toBe(false);
    expect(sibling.riskFlags.map((f) => f.code)).not.toContain('NON_MOBILE_INFANT_BRUISING');
    const weight = buildPacket(reviewRecord({ concerns: [bruise({ type: 'weight_faltering' })] }));
    expect('bruisingProtocol' in sectionOf(weight, 'concerns').concerns[0]!).toBe(false);
    // an advice with no actions carries none
    const plain = buildPacket(
      reviewRecord({
        acknowledgements: [
          {
            code: 'NON_MOBILE_INFANT_BRUISING',
            advice: 'ok',
            actions: [],
            acknowledgedById: 'l',
            acknowledgedByName: null,
            acknowledgedAt: new Date('2026-11-24T09:00:00Z'),
          },
        ],
      }),
    );
    const advice = plain.riskFlags.find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING')!.safeguardingLead!;
    expect('actions' in advice).toBe(false);
  });

  it('says when a child of any age is recorded not independently mobile, and puts them in scope', () => {
    const record = reviewRecord({
      members: [
        memberRecord({
          id: SIBLING,
          ref: 'sibling',
          givenName: 'Octavian',
          dateOfBirth: '2019-05-01',
          mobility: 'mobile',
          notIndependentlyMobile: true,
        }),
        ...reviewRecord().members.filter((m) => m.id !== SIBLING),
      ],
      concerns: [bruise({ memberId: SIBLING, type: 'injury' })],
    });
    const doc = buildPacket(record);
    const child = sectionOf(doc, 'children').children.find((c) => c.memberId === SIBLING)!;
    expect(child.mobilityText).toBe(
      'Mobile; recorded as NOT independently mobile (disability or developmental delay): the bruising protocol applies at any age',
    );
    expect(sectionOf(doc, 'concerns').concerns[0]!.bruisingProtocol!.missing).toEqual([
      'health_assessment',
      'referral',
      'multi_agency_discussion',
      'parents_explanation',
    ]);
  });

  it('prints the record, what is missing and what was done in the PDF', async () => {
    const pdf = await renderPacketPdf(packet, {
      version: 1,
      sha256: sealed(packet).sha256,
      generatedAt: new Date('2026-11-24T11:01:00Z'),
    });
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    for (const line of [
      'Bruising protocol still missing: referral to children’s social care or MASH; multi-agency discussion.',
      'Health assessment: by Dr Ottoline Marchbanks, on Tue 10 Nov 2026',
      'Referral to children’s social care or MASH: NOT RECORDED',
      'Parents’ explanation, in their words: “she rolled against the cot bars”',
      'What was done: Referral to children’s social care or MASH — Referred to Sandwell MASH by phone; Multi-agency discussion — Strategy discussion tomorrow at 10am.',
    ])
      expect(text).toContain(line);
  }, 30_000);
});
