import { RISK_FLAG_SEVERITIES } from '@fh/domain';
import { sealed } from './canonical-json';
import { SECTION_ORDER, sectionOf, type PacketDocument } from './packet.document';
import {
  BABY,
  FATHER,
  memberRecord,
  MOTHER,
  recordedContact,
  reviewRecord,
  SIBLING,
  withFlags,
} from './packet.fixture';
import { buildPacket } from './snapshot';

describe('packet snapshot', () => {
  const packet = buildPacket(reviewRecord());

  it('reads in order: the transfer, the risk flags, then household, think family, children, concerns, appointments, support, contact', () => {
    expect(Object.keys(packet)).toEqual(['format', 'asOf', 'transfer', 'riskFlags', 'sections']);
    expect(packet.sections.map((s) => s.key)).toEqual([...SECTION_ORDER]);
    expect(SECTION_ORDER).toEqual([
      'household',
      'thinkFamily',
      'children',
      'concerns',
      'appointments',
      'supportNetwork',
      'directContact',
    ]);
  });

  it('opens with the reference, both areas and teams, the accountable practitioner and the contact deadline', () => {
    expect(packet.transfer).toEqual(
      expect.objectContaining({
        reference: 'HT-2026-000042',
        from: expect.objectContaining({
          area: 'birmingham',
          areaName: 'Birmingham',
          teamName: 'Birmingham Health Visiting',
        }),
        to: expect.objectContaining({ area: 'sandwell', areaName: 'Sandwell', teamName: 'Sandwell Health Visiting' }),
        contactDueAt: '2026-11-30T17:00:00.000Z',
        contactDueText: 'By 17:00 on Mon 30 Nov 2026',
        involvementText: 'Child in need',
      }),
    );
    expect(packet.transfer.accountablePractitioner).toEqual(
      expect.objectContaining({ name: 'Hana Begum', side: 'sending', teamName: 'Birmingham Health Visiting' }),
    );
    expect(packet.transfer.accountablePractitioner.text).toContain(
      'stays responsible until the receiving team accepts',
    );
  });

  it('never carries a confidential address: every reader gets the same document, naming whom to ask (issue 13 item 5)', () => {
    const base = reviewRecord();
    const secret = {
      line1: '7 Refuge Close',
      line2: 'Flat 3',
      town: 'Oldbury',
      postcode: 'B69 4QQ',
      confidential: true,
    };
    const doc = buildPacket({ ...base, transfer: { ...base.transfer, newAddress: secret } });
    expect(doc.transfer.move.newAddress).toBe('held confidentially — ask Hana Begum');
    expect(doc.transfer.move.addressConfidential).toBe(true);
    const json = JSON.stringify(doc);
    for (const part of ['Refuge', 'Flat 3', 'Oldbury', 'B69']) expect(json).not.toContain(part);
    // An address not marked confidential is shown, and its packet has no new field (its hash is unchanged).
    expect(packet.transfer.move.newAddress).toBe('12 Quillfeather Row, West Bromwich, B70 9ZZ');
    expect('addressConfidential' in packet.transfer.move).toBe(false);
  });

  it('shows a child-protection transfer’s interim lead, conference due date, conference and written outcome only when they apply (issue 13 item 1)', () => {
    const base = reviewRecord();
    const awaiting = buildPacket({
      ...base,
      transfer: {
        ...base.transfer,
        involvement: 'child_protection',
        status: 'awaiting_conference',
        interimLeadName: 'Harriet Shaw',
        conferenceDueAt: new Date('2026-12-14T17:00:00Z'),
      },
    });
    expect(awaiting.transfer.accountablePractitioner.text).toBe(
      'Hana Begum, Birmingham Health Visiting (sending team): stays responsible until the transfer-in conference’s written outcome is confirmed',
    );
    expect(awaiting.transfer.conference).toEqual({
      interimLead: 'Harriet Shaw',
      dueAt: '2026-12-14T17:00:00.000Z',
      heldOn: null,
      outcome: null,
      outcomeText: null,
      chair: null,
      notes: null,
      writtenOutcomeReceivedOn: null,
      text:
        'Transfer-in conference: Harriet Shaw (Sandwell Health Visiting) runs the plan on Birmingham’s behalf as interim lead ' +
        'until the written outcome is confirmed; due by 17:00 on Mon 14 Dec 2026, not yet held.',
    });
    const held = {
      ...base.transfer,
      involvement: 'child_protection' as const,
      status: 'awaiting_conference' as const,
      interimLeadName: 'Harriet Shaw',
      conferenceDueAt: new Date('2026-12-14T17:00:00Z'),
      conferenceHeldOn: '2026-12-08',
      conferenceOutcome: 'plan_continues' as const,
      conferenceChair: 'Dana Okafor',
      conferenceNotes: 'Core group within 10 working days',
    };
    const recorded = buildPacket({ ...base, transfer: held });
    expect(recorded.transfer.conference).toEqual(
      expect.objectContaining({
        heldOn: '2026-12-08',
        outcome: 'plan_continues',
        outcomeText: 'the child protection plan continues',
        chair: 'Dana Okafor',
        notes: 'Core group within 10 working days',
        writtenOutcomeReceivedOn: null,
        text: expect.stringContaining(
          'held on Tue 8 Dec 2026, chaired by Dana Okafor: the child protection plan continues; written outcome not yet confirmed.',
        ),
      }),
    );
    const confirmed = buildPacket({
      ...base,
      transfer: {
        ...held,
        status: 'accepted',
        accountablePractitionerId: 'harriet',
        accountablePractitionerName: 'Harriet Shaw',
        accountablePractitionerTeamId: base.transfer.receivingTeamId,
        interimLeadName: null,
        conferenceReceivedOn: '2026-12-10',
      },
    });
    expect(confirmed.transfer.conference?.interimLead).toBeNull();
    expect(confirmed.transfer.conference?.text).toContain('written outcome received on Thu 10 Dec 2026');
    expect(confirmed.transfer.accountablePractitioner.text).toContain('(receiving team): responsible since');
    // Any other transfer has no conference field, so its packet hashes as before.
    expect('conference' in packet.transfer).toBe(false);
    const nulls = { interimLeadName: null, conferenceDueAt: null, conferenceHeldOn: null, conferenceReceivedOn: null };
    expect(sealed(buildPacket({ ...base, transfer: { ...base.transfer, ...nulls } })).sha256).toBe(
      sealed(packet).sha256,
    );
  });

  it('puts critical flags first, whatever order they were stored in, each with its name and meaning in words', () => {
    const record = reviewRecord();
    const scrambled = buildPacket({
      ...record,
      transfer: { ...record.transfer, riskFlags: [...record.transfer.riskFlags].reverse() },
    });
    for (const doc of [packet, scrambled]) {
      const ranks = doc.riskFlags.map((f) => RISK_FLAG_SEVERITIES.indexOf(f.severity));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(
        doc.riskFlags
          .slice(0, 2)
          .map((f) => f.code)
          .sort(),
      ).toEqual(['NON_MOBILE_INFANT_BRUISING', 'SAFEGUARDING_ADVICE_NOT_SOUGHT']);
      expect(doc.riskFlags[0].severityText).toBe('Critical: act now');
    }
    expect(packet.riskFlags).toHaveLength(10);
    for (const f of packet.riskFlags) {
      expect(f.title.length).toBeGreaterThan(10);
      expect(f.meaning.length).toBeGreaterThan(10);
      expect(f.title).not.toContain('_');
    }
    const bruising = packet.riskFlags[0];
    expect(bruising.about).toEqual([{ memberId: BABY, name: 'Zephyrine Quillfeather', roleText: 'Daughter' }]);
    expect(bruising.safeguardingLead).toBeNull();
  });

  it('shows a safeguarding lead’s acknowledgement and advice on its flag', () => {
    const doc = buildPacket(
      reviewRecord({
        acknowledgements: [
          {
            code: 'NON_MOBILE_INFANT_BRUISING',
            advice: 'Child protection medical today',
            acknowledgedById: 'lead',
            acknowledgedByName: 'Lena Novak',
            acknowledgedAt: new Date('2026-11-24T09:00:00Z'),
          },
        ],
      }),
    );
    expect(doc.riskFlags.find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING')!.safeguardingLead).toEqual({
      name: 'Lena Novak',
      acknowledgedAt: '2026-11-24T09:00:00.000Z',
      advice: 'Child protection medical today',
    });
  });

  it('keeps every lead’s advice on a flag, oldest first, the newest as its safeguarding lead (issue 12 item 2)', () => {
    const ack = (name: string, at: string, advice: string) => ({
      code: 'NON_MOBILE_INFANT_BRUISING' as const,
      advice,
      acknowledgedById: name,
      acknowledgedByName: name,
      acknowledgedAt: new Date(at),
    });
    const doc = buildPacket(
      reviewRecord({
        acknowledgements: [
          ack('Lena Novak', '2026-11-24T09:00:00Z', 'Child protection medical today'),
          ack('Bilal Ahmed', '2026-11-24T10:30:00Z', 'Strategy discussion with MASH first'),
        ],
      }),
    );
    const flag = doc.riskFlags.find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING')!;
    expect(flag.safeguardingAdvice).toEqual([
      { name: 'Lena Novak', acknowledgedAt: '2026-11-24T09:00:00.000Z', advice: 'Child protection medical today' },
      {
        name: 'Bilal Ahmed',
        acknowledgedAt: '2026-11-24T10:30:00.000Z',
        advice: 'Strategy discussion with MASH first',
      },
    ]);
    expect(flag.safeguardingLead).toEqual(flag.safeguardingAdvice[1]);
    expect(doc.riskFlags.find((f) => f.code !== flag.code)!.safeguardingAdvice).toEqual([]);
  });

  it('lists fathers and male carers with mothers, in the same detail, with whether each adult was seen', () => {
    // Recorded with the children first and the father before the mother: carers still lead, in recorded order.
    const base = reviewRecord();
    const [baby, sibling, mother, father] = base.members;
    const doc = buildPacket({ ...base, members: [baby, sibling, father, mother] });
    const members = sectionOf(doc, 'household').members;
    expect(members.map((m) => [m.group, m.roleText])).toEqual([
      ['parent_or_carer', 'Father'],
      ['parent_or_carer', 'Mother'],
      ['child', 'Daughter'],
      ['child', 'Son'],
    ]);
    const dad = members.find((m) => m.memberId === FATHER)!;
    const mum = members.find((m) => m.memberId === MOTHER)!;
    expect(Object.keys(dad).sort()).toEqual(Object.keys(mum).sort());
    expect(dad).toEqual(
      expect.objectContaining({
        maleCarer: true,
        seen: 'no',
        seenText: 'NOT seen and spoken with by a practitioner (not engaged)',
        otherAgencies: 2,
      }),
    );
    expect(mum).toEqual(
      expect.objectContaining({ maleCarer: false, seen: 'yes', seenText: 'Seen and spoken with by a practitioner' }),
    );
    expect(dad.riskFactors.map((r) => r.text)).toEqual(['Offending', 'Drug or alcohol misuse']);
    expect(members.filter((m) => m.group === 'child').every((m) => m.seen === null)).toBe(true);
  });

  it('names a partner by whose partner they are, as a male carer beside the mother', () => {
    const base = reviewRecord();
    const partner = memberRecord({
      id: 'p',
      ref: 'partner',
      role: 'partner',
      sex: 'male',
      givenName: 'Carl',
      familyName: 'Example',
      engaged: null,
    });
    const doc = buildPacket(withFlags({ ...base, members: [...base.members.filter((m) => m.id !== FATHER), partner] }));
    const members = sectionOf(doc, 'household').members;
    expect(members.slice(0, 2).map((m) => m.roleText)).toEqual(['Mother', 'Mother’s partner']);
    expect(members[1]).toEqual(
      expect.objectContaining({
        maleCarer: true,
        seen: 'not_known',
        seenText: 'Not known whether seen by a practitioner: treat as not seen',
      }),
    );
  });

  it('gives Think Family: each adult’s involvement with other agencies in any area, in words', () => {
    const s = sectionOf(packet, 'thinkFamily');
    const dad = s.adults.find((a) => a.person.memberId === FATHER)!;
    expect(dad.involvements).toEqual([
      {
        agency: 'probation',
        agencyText: 'Probation service',
        area: 'london',
        areaText: 'London',
        detail: 'supervision order, not engaging',
      },
      {
        agency: 'crc',
        agencyText: 'Community Rehabilitation Company (CRC): probation',
        area: 'birmingham',
        areaText: 'Birmingham',
        detail: 'unserved order',
      },
    ]);
    expect(s.adults.map((a) => a.person.roleText)).toEqual(['Mother', 'Father']);
  });

  it('gives each child’s age in completed months on the day of initiation, mobility, GP registration and NHS number status', () => {
    const kids = sectionOf(packet, 'children').children;
    expect(packet.asOf).toBe('2026-11-23');
    expect(kids.map((c) => [c.name, c.ageInMonths, c.ageText])).toEqual([
      ['Zephyrine Quillfeather', 4, '4 months on Mon 23 Nov 2026'],
      ['Octavian Quillfeather', 26, '2 years 2 months (26 months) on Mon 23 Nov 2026'],
    ]);
    const [baby, sibling] = kids;
    expect(baby.mobilityText).toBe('Not yet mobile (not rolling, crawling or walking)');
    expect(baby.gp).toEqual({
      status: 'not_registered',
      text: 'NOT registered with a GP',
      practiceName: null,
      practiceOds: null,
    });
    expect(baby.nhsNumber).toEqual({
      status: 'missing',
      number: null,
      text: 'No NHS number recorded: health records cannot be matched across areas',
    });
    expect(sibling.gp.text).toBe('Registered with a GP: Erdington Health Centre (practice code M88006)');
    expect(sibling.nhsNumber).toEqual({
      status: 'valid',
      number: '943 476 5919',
      text: 'NHS number 943 476 5919 (check digit valid)',
    });
  });

  it('says when an NHS number fails its check digit, and treats an unrecorded mobility under 6 months as not mobile', () => {
    const base = reviewRecord();
    const members = base.members.map((m) =>
      m.id === SIBLING ? { ...m, nhsNumber: '9434765918' } : m.id === BABY ? { ...m, mobility: null } : m,
    );
    const kids = sectionOf(buildPacket(withFlags({ ...base, members })), 'children').children;
    expect(kids[1].nhsNumber.status).toBe('invalid');
    expect(kids[1].nhsNumber.text).toBe('NHS number 943 476 5918 recorded, but it fails the check digit: confirm it');
    expect(kids[0].mobilityText).toBe('Mobility not recorded; under 6 months, so treat as not yet mobile');
  });

  it('counts age in calendar months (born 31 August: 6 months on 28 February)', () => {
    const base = reviewRecord();
    const members = base.members.map((m) => (m.id === BABY ? { ...m, dateOfBirth: '2026-08-31' } : m));
    const record = { ...base, transfer: { ...base.transfer, initiatedAt: new Date('2027-02-28T12:00:00Z') }, members };
    expect(sectionOf(buildPacket(record), 'children').children[0].ageInMonths).toBe(6);
  });

  it('lists concerns most recent first with their dates and whether safeguarding advice was sought', () => {
    const s = sectionOf(packet, 'concerns');
    expect(s.concerns.map((c) => [c.observedOn, c.typeText, c.ageInMonthsThen, c.adviceText])).toEqual([
      ['2026-11-09', 'Bruising', 3, 'Safeguarding advice was NOT sought: seek it now'],
      ['2026-10-20', 'Weight or faltering growth', 3, 'Not recorded whether safeguarding advice was sought'],
    ]);
    expect(s.text).toBe('2 concerns recorded, most recent first. 1 bruise or injury without safeguarding advice.');
  });

  it('lists every appointment oldest first, marking each one the child was not brought to', () => {
    const s = sectionOf(packet, 'appointments');
    expect(s.wasNotBrought).toBe(2);
    expect(s.text).toBe('Not brought to 2 appointments (across 2 children).');
    expect(s.appointments.map((a) => [a.dueOn, a.for.name, a.kindText, a.wasNotBrought, a.statusText])).toEqual([
      ['2026-10-01', 'Octavian Quillfeather', 'Immunisation', true, 'WAS NOT BROUGHT: rebooked for Thu 3 Dec 2026'],
      ['2026-11-02', 'Zephyrine Quillfeather', 'Health visitor review', true, 'WAS NOT BROUGHT: not yet rebooked'],
      ['2026-11-30', 'Zephyrine Quillfeather', 'Immunisation', false, 'Booked'],
    ]);
  });

  it('says what support network the family left', () => {
    const s = sectionOf(packet, 'supportNetwork');
    expect(s).toEqual(
      expect.objectContaining({ leftSupportNetwork: true, note: 'lived with the maternal grandparents' }),
    );
    expect(s.text).toContain('away from its support network: lived with the maternal grandparents');
  });

  it('before the conversation, says it is still needed and by when; once recorded, gives its summary and agreed actions with owners and dates', () => {
    const before = sectionOf(packet, 'directContact');
    expect(before.recorded).toBe(false);
    expect(before.contact).toBeNull();
    expect(before.text).toContain('by 17:00 on Mon 30 Nov 2026');

    const after = sectionOf(buildPacket(reviewRecord({ contacts: [recordedContact()] })), 'directContact');
    expect(after.recorded).toBe(true);
    expect(after.contact).toEqual(
      expect.objectContaining({
        methodText: 'Phone call',
        sendingPractitioner: 'Hana Begum',
        recordedBy: 'Harriet Shaw',
        summary: 'Talked through the bruise, the father’s probation history and the GP position.',
        stateText: 'Waiting for the sending practitioner to check this record back',
        agreedActions: [
          {
            description: 'Register the baby with a GP',
            owner: 'receiving',
            ownerText: 'Receiving team (Sandwell Health Visiting)',
            dueOn: '2026-11-27',
            reviewOn: '2026-12-04',
          },
        ],
      }),
    );
    expect(after.contact!.flagUnderstanding[0]).toEqual({
      code: 'NON_MOBILE_INFANT_BRUISING',
      title: 'Bruising or injury on a baby who is not yet mobile',
      understanding: 'A bruise on a 3-month-old is a child protection concern.',
    });
  });

  it('never shows a code without its words beside it', () => {
    const CODE_FIELDS = [
      'code',
      'status',
      'type',
      'role',
      'group',
      'seen',
      'kind',
      'method',
      'severity',
      'mobility',
      'involvement',
      'sex',
      'owner',
      'agency',
      'area',
      'state',
    ];
    const WORD_FIELDS = (k: string) => [`${k}Text`, 'title', 'text'];
    const walk = (value: unknown, path: string) => {
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
      if (value === null || typeof value !== 'object') return;
      const obj = value as Record<string, unknown>;
      for (const k of CODE_FIELDS) {
        if (typeof obj[k] === 'string' && !['from', 'to'].some((p) => path.endsWith(p))) {
          expect([
            path,
            k,
            WORD_FIELDS(k).some((w) => typeof obj[w] === 'string' && (obj[w] as string).length > 0),
          ]).toEqual([path, k, true]);
        }
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${path}.${k}`);
    };
    walk(buildPacket(reviewRecord({ contacts: [recordedContact()] })) as PacketDocument, '$');
  });

  it('is the same document for the same record, and a different one when the transfer changes', () => {
    const a = sealed(buildPacket(reviewRecord()));
    const b = sealed(buildPacket(reviewRecord()));
    expect(b.sha256).toBe(a.sha256);
    expect(sealed(buildPacket(reviewRecord({ contacts: [recordedContact()] }))).sha256).not.toBe(a.sha256);
    // Packets generated on a later day of the same round say the same: ages are taken on the initiation day.
    const record = reviewRecord();
    const later = { ...record, transfer: { ...record.transfer, updatedAt: new Date('2026-12-20T10:00:00Z') } };
    expect(sealed(buildPacket(later)).sha256).toBe(a.sha256);
  });
});
