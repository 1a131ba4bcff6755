import { pdfPages } from '../../../test/support/pdf-text';
import { sealed } from './canonical-json';
import { memberRecord, recordedContact, reviewRecord, withFlags } from './packet.fixture';
import { pdfSafe, renderPacketPdf } from './pdf';
import { buildPacket } from './snapshot';

const meta = (document: unknown, version = 1) => ({
  version,
  sha256: sealed(document).sha256,
  generatedAt: new Date('2026-11-24T11:01:00Z'),
});

describe('packet PDF', () => {
  let text: string;
  let pages: string[];
  const document = buildPacket(reviewRecord({ contacts: [recordedContact()] }));

  beforeAll(async () => {
    const pdf = await renderPacketPdf(document, meta(document, 2));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    pages = await pdfPages(pdf);
    text = pages.join('\n').replace(/\s+/g, ' ');
    // The first render reads and parses both fonts (no longer done at import), so it gets longer than jest's 5 s.
  }, 30_000);

  const at = (needle: string) => {
    const i = text.indexOf(needle);
    if (i < 0) throw new Error(`"${needle}" is not in the PDF text`);
    return i;
  };

  it('opens with the reference, version, both teams, who is accountable and the contact deadline', () => {
    expect(pages[0]).toContain('HT-2026-000042');
    expect(text).toContain('Version 2');
    expect(text).toContain('From Birmingham Health Visiting, Birmingham (sending team)');
    expect(text).toContain('To Sandwell Health Visiting, Sandwell (receiving team)');
    expect(text).toContain('Accountable practitioner Hana Begum, Birmingham Health Visiting (sending team)');
    expect(text).toContain('due by 17:00 on Mon 30 Nov 2026');
  });

  it('shows every risk flag by name and code, critical ones first and on the first page', () => {
    for (const f of document.riskFlags) {
      expect(text).toContain(f.title);
      expect(text).toContain(f.code);
    }
    expect(pages[0]).toContain('Bruising or injury on a baby who is not yet mobile');
    expect(pages[0]).toContain('Safeguarding advice not sought about a bruise or injury');
    expect(pages[0]).toContain('CRITICAL: ACT NOW');
    expect(at('Safeguarding advice not sought about a bruise or injury')).toBeLessThan(
      at('Child not registered with a GP'),
    );
    expect(at('Child not brought to appointments')).toBeLessThan(at('Father or male carer not seen or engaged'));
    expect(text).toContain(
      'A safeguarding lead must acknowledge this flag with advice before the transfer can be accepted: not yet done.',
    );
  });

  it('prints every safeguarding lead’s advice on a flag, the first beside the later one (issue 12 item 2)', async () => {
    const ack = (name: string, at: string, advice: string) => ({
      code: 'NON_MOBILE_INFANT_BRUISING' as const,
      advice,
      acknowledgedById: name,
      acknowledgedByName: name,
      acknowledgedAt: new Date(at),
    });
    const advised = buildPacket(
      reviewRecord({
        acknowledgements: [
          ack('Lena Novak', '2026-11-24T09:00:00Z', 'Child protection medical today'),
          ack('Bilal Ahmed', '2026-11-24T10:30:00Z', 'Strategy discussion with MASH first'),
        ],
      }),
    );
    const printed = (await pdfPages(await renderPacketPdf(advised, meta(advised, 3)))).join('\n').replace(/\s+/g, ' ');
    const first = printed.indexOf('Safeguarding lead Lena Novak acknowledged this');
    const second = printed.indexOf('Safeguarding lead Bilal Ahmed acknowledged this');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(printed).toContain('Advice: Child protection medical today');
    expect(printed).toContain('Advice: Strategy discussion with MASH first');
  }, 30_000);

  it('prints a child-protection transfer’s conference in the key facts: interim lead, outcome, chair, notes, written outcome (issue 13 item 1)', async () => {
    const base = reviewRecord();
    const cp = buildPacket({
      ...base,
      transfer: {
        ...base.transfer,
        involvement: 'child_protection',
        status: 'awaiting_conference',
        interimLeadName: 'Harriet Shaw',
        conferenceDueAt: new Date('2026-12-14T17:00:00Z'),
        conferenceHeldOn: '2026-12-08',
        conferenceOutcome: 'plan_not_continued',
        conferenceChair: 'Dana Okafor',
        conferenceNotes: 'Step down to child in need',
      },
    });
    const printed = (await pdfPages(await renderPacketPdf(cp, meta(cp, 4)))).join('\n').replace(/\s+/g, ' ');
    expect(printed).toContain('stays responsible until the transfer-in conference’s written outcome is confirmed');
    expect(printed).toContain('Transfer-in conference Transfer-in conference: Harriet Shaw (Sandwell Health Visiting)');
    expect(printed).toContain('chaired by Dana Okafor: the child protection plan does not continue');
    expect(printed).toContain('Conference notes Step down to child in need');
    expect(text).not.toContain('Transfer-in conference');
  }, 30_000);

  it('names everyone’s role in the household, the father as plainly as the mother, and whether each adult was seen', () => {
    const household = text.slice(at('Who lives in the household'), at('Adults known to other agencies (Think Family)'));
    expect(household).toContain('Mother: Philippa Quillfeather');
    expect(household).toContain('Father: Barnaby Thistlewood');
    expect(household).toContain('Daughter: Zephyrine Quillfeather');
    expect(household).toContain('Son: Octavian Quillfeather');
    expect(household).toContain('NOT seen and spoken with by a practitioner (not engaged)');
    expect(household).toContain('Seen and spoken with by a practitioner');
    expect(household.indexOf('Father:')).toBeLessThan(household.indexOf('CHILDREN'));
  });

  it('keeps the sections in the order a health visitor reads them', () => {
    const order = [
      'Risk flags (10)',
      'Who lives in the household',
      'Adults known to other agencies (Think Family)',
      'The children',
      'Concerns',
      'Appointments',
      'Support network',
      'Direct conversation and agreed actions',
    ];
    const positions = order.map(at);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('gives Think Family agencies, ages in months, GP and NHS number status, every "was not brought" and the agreed actions', () => {
    expect(text).toContain('Probation service, London: supervision order, not engaging');
    expect(text).toContain('Community Rehabilitation Company (CRC): probation, Birmingham: unserved order');
    expect(text).toContain('Age: 4 months on Mon 23 Nov 2026');
    expect(text).toContain('GP: NOT registered with a GP');
    expect(text).toContain('NHS number: No NHS number recorded');
    expect(text.match(/WAS NOT BROUGHT/g)).toHaveLength(2);
    expect(text).toContain('Safeguarding advice was NOT sought: seek it now');
    expect(text).toContain('lived with the maternal grandparents');
    expect(text).toContain('Talked through the bruise, the father’s probation history and the GP position.');
    expect(text).toContain('Register the baby with a GP');
    expect(text).toContain('Receiving team (Sandwell Health Visiting)');
    expect(text).toMatch(/Page 1 of \d/);
  });

  it('prints a confidential address as whom to ask, never its lines or postcode (issue 13 item 5)', async () => {
    const base = reviewRecord();
    const secret = { line1: '7 Refuge Close', town: 'Oldbury', postcode: 'B69 4QQ', confidential: true };
    const doc = buildPacket({ ...base, transfer: { ...base.transfer, newAddress: secret } });
    const printed = (await pdfPages(await renderPacketPdf(doc, meta(doc)))).join(' ').replace(/\s+/g, ' ');
    expect(printed).toContain('to an address held confidentially — ask Hana Begum');
    for (const part of ['Refuge', 'Oldbury', 'B69']) expect(printed).not.toContain(part);
    expect(text).toContain('to 12 Quillfeather Row, West Bromwich, B70 9ZZ');
  });

  it('prints names as written, in Latin, Greek or Cyrillic letters; only scripts the font lacks become "?"', async () => {
    const base = reviewRecord();
    const members = [
      ...base.members,
      memberRecord({
        id: 'g',
        ref: 'gran',
        role: 'grandparent',
        sex: 'female',
        givenName: 'Łucja',
        familyName: 'Żółć 日本',
        engaged: true,
      }),
    ];
    const doc = buildPacket(withFlags({ ...base, members }));
    const pdf = await renderPacketPdf(doc, meta(doc));
    expect((await pdfPages(pdf)).join(' ')).toContain('Grandmother: Łucja Żółć ??');
    expect(pdfSafe('Łucja Żółć Nguyễn Дмитрий Ελένη 日本 → ’“”–')).toBe('Łucja Żółć Nguyễn Дмитрий Ελένη ?? → ’“”–');
  });
});
