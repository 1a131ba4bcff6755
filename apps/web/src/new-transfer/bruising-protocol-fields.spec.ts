import { createViewEnvironment } from '../view.service.js';
import { concernRows, memberValues } from './draft-views.js';
import {
  CHOICES,
  concernInputs,
  memberInputs,
  readConcerns,
  readMember,
  rowFieldOf,
  type Draft,
  type FormBody,
} from './draft.js';

/**
 * The console's start-a-transfer forms take the bruising protocol (issue 14 item 4): the concern kind
 * "a mark that might be a bruise", each concern's protocol record (health assessment by/on, referral
 * on/reference, multi-agency discussion on/outcome, the parents' explanation), and a child recorded
 * not independently mobile. Saving another section sends them back unchanged.
 */
describe('bruising protocol fields on the draft pages', () => {
  const env = createViewEnvironment();
  const draft = {
    id: '10000000-0000-4000-8000-000000000000',
    reference: 'HT-2026-000042',
    status: 'draft',
    version: 3,
    household: [
      {
        id: 'm1',
        ref: 'baby',
        role: 'child',
        givenName: 'Ada',
        familyName: 'Example',
        dateOfBirth: '2026-08-01',
        sex: 'female',
        nhsNumber: null,
        livesInHousehold: true,
        mobility: 'mobile',
        engaged: null,
        gp: { status: 'registered', practiceOds: null, practiceName: null },
        involvements: [],
        riskFactors: [],
        notIndependentlyMobile: true,
      },
    ],
    concerns: [
      {
        id: 'c1',
        memberId: 'm1',
        memberRef: 'baby',
        type: 'possible_bruise',
        observedOn: '2026-11-29',
        description: 'a mark behind the ear',
        safeguardingAdviceSought: true,
        healthAssessment: { by: 'Dr Marchbanks', on: '2026-11-30' },
        referral: null,
        multiAgencyDiscussion: null,
        parentsExplanation: 'rolled into the cot bars',
        bruisingProtocol: { applies: true, missing: ['referral', 'multi_agency_discussion'] },
      },
    ],
    appointments: [],
  } as unknown as Draft;
  const base = { csrfToken: 'x', currentPath: '/transfers/new/x/concerns', title: 'Concerns', choices: CHOICES };
  const row = (fields: Record<string, string>): FormBody =>
    Object.fromEntries([['rows', '1'], ...Object.entries(fields).map(([k, v]) => [`c0-${k}`, v])]);
  const date = (id: string, iso: string) => {
    const [year, month, day] = iso.split('-');
    return { [`${id}-day`]: day!, [`${id}-month`]: month!, [`${id}-year`]: year! };
  };

  it('reads a concern’s protocol record into the API’s fields', () => {
    const { concerns, checks } = readConcerns(
      row({
        memberRef: 'baby',
        type: 'possible_bruise',
        ...date('observedOn', '2026-11-29'),
        healthAssessmentBy: 'Dr Marchbanks',
        ...date('healthAssessmentOn', '2026-11-30'),
        ...date('referralOn', '2026-11-30'),
        referralReference: 'MASH-1',
        ...date('discussionOn', '2026-12-01'),
        discussionOutcome: 'section 47 enquiry',
        parentsExplanation: ' rolled into the cot bars ',
      }),
    );
    expect(checks.filter(([, e]) => e)).toEqual([]);
    expect(concerns).toEqual([
      expect.objectContaining({
        type: 'possible_bruise',
        healthAssessment: { by: 'Dr Marchbanks', on: '2026-11-30' },
        referral: { on: '2026-11-30', reference: 'MASH-1' },
        multiAgencyDiscussion: { on: '2026-12-01', outcome: 'section 47 enquiry' },
        parentsExplanation: 'rolled into the cot bars',
      }),
    ]);
    // nothing entered: nothing recorded
    const blank = readConcerns(row({ memberRef: 'baby', type: 'bruising', ...date('observedOn', '2026-11-29') }));
    expect(blank.concerns[0]).toEqual(
      expect.objectContaining({
        healthAssessment: null,
        referral: null,
        multiAgencyDiscussion: null,
        parentsExplanation: null,
      }),
    );
  });

  it('asks for the missing half of an item, and refuses the record on a concern that is not a bruise', () => {
    const half = readConcerns(
      row({
        memberRef: 'baby',
        type: 'bruising',
        ...date('observedOn', '2026-11-29'),
        healthAssessmentBy: 'Dr Marchbanks',
        referralReference: 'MASH-1',
        'discussionOn-day': '31',
        'discussionOn-month': '2',
        'discussionOn-year': '2026',
      }),
    );
    expect(half.checks.filter(([, e]) => e)).toEqual([
      ['c0-healthAssessmentOn', 'Enter the date of the health assessment'],
      ['c0-referralOn', 'Enter the date of the referral'],
      ['c0-discussionOn', 'The date of the multi-agency discussion must be a real date'],
      ['c0-discussionOutcome', 'Enter the outcome of the multi-agency discussion'],
    ]);
    const misplaced = readConcerns(
      row({ memberRef: 'baby', type: 'neglect', ...date('observedOn', '2026-11-29'), parentsExplanation: 'x' }),
    );
    expect(misplaced.checks.filter(([, e]) => e).map(([f]) => f)).toEqual(['c0-healthAssessmentBy']);
    // the API's paths land on the row's fields
    const field = rowFieldOf('concerns', [0]);
    expect(field('concerns.0.healthAssessment.on must be a date')).toBe('c0-healthAssessmentOn');
    expect(field('concerns.0.referral.reference should not be empty')).toBe('c0-referralReference');
    expect(field('concerns.0.parentsExplanation is for a bruise or injury only')).toBe('c0-parentsExplanation');
  });

  it('reads “not independently mobile” for a child only, and keeps it and the protocol when other sections save', () => {
    const body: FormBody = {
      role: 'child',
      givenName: 'Ada',
      familyName: 'Example',
      sex: 'female',
      livesInHousehold: 'yes',
      mobility: 'mobile',
      notIndependentlyMobile: 'yes',
    };
    expect(readMember(body, 'baby', null).member.notIndependentlyMobile).toBe(true);
    expect(readMember({ ...body, notIndependentlyMobile: undefined }, 'baby', null).member.notIndependentlyMobile).toBe(
      null,
    );
    expect(readMember({ ...body, role: 'mother' }, 'mum', null).member.notIndependentlyMobile).toBe(null);
    expect(memberInputs(draft)[0]!.notIndependentlyMobile).toBe(true);
    expect(concernInputs(draft)[0]).toEqual(
      expect.objectContaining({
        healthAssessment: { by: 'Dr Marchbanks', on: '2026-11-30' },
        referral: null,
        parentsExplanation: 'rolled into the cot bars',
      }),
    );
  });

  it('shows the protocol fields with what is recorded, and what is still to record', () => {
    const html = env.render('pages/new-transfer/concerns.njk', {
      ...base,
      draft,
      rows: concernRows(draft, null, 0),
      members: [{ value: 'baby', text: 'Ada Example' }],
      errors: { errorList: [], fields: {} },
    });
    expect(html).toContain('<option value="possible_bruise" selected>A mark that might be a bruise</option>');
    expect(html).toMatch(/name="c0-healthAssessmentBy" type="text" value="Dr Marchbanks"/);
    expect(html).toMatch(/name="c0-healthAssessmentOn-day"[^>]*value="30"/);
    expect(html).toContain('name="c0-referralReference"');
    expect(html).toContain('name="c0-discussionOn-year"');
    expect(html).toMatch(/<textarea[^>]*name="c0-parentsExplanation"[^>]*>rolled into the cot bars<\/textarea>/);
    expect(html).toContain(
      'Still to record: Referral to children’s social care or MASH, Multi-agency discussion. A safeguarding lead must say what was done about each',
    );
  });

  it('shows an error at the protocol field, with what was typed kept', () => {
    const posted = row({
      memberRef: 'baby',
      type: 'bruising',
      ...date('observedOn', '2026-11-29'),
      referralReference: 'MASH-9',
    });
    const html = env.render('pages/new-transfer/concerns.njk', {
      ...base,
      draft,
      rows: concernRows(draft, posted, 0),
      members: [{ value: 'baby', text: 'Ada Example' }],
      errors: {
        errorList: [{ text: 'Enter the date of the referral', href: '#c0-referralOn-day' }],
        fields: { 'c0-referralOn': { text: 'Enter the date of the referral' } },
      },
    });
    expect(html).toMatch(/<span class="govuk-visually-hidden">Error:<\/span> Enter the date of the referral/);
    expect(html).toMatch(/name="c0-referralReference" type="text" value="MASH-9"/);
    expect(html).toMatch(/class="[^"]*govuk-input--error" id="c0-referralOn-day"/);
  });

  it('the member page offers “not independently mobile”, ticked when recorded', () => {
    const member = memberInputs(draft)[0]!;
    const html = env.render('pages/new-transfer/member.njk', {
      ...base,
      draft,
      member,
      values: memberValues(member, null),
      agencyRows: 1,
      errors: { errorList: [], fields: {} },
      action: '/transfers/new/x/household/baby',
    });
    expect(html).toContain('Is the child not independently mobile whatever their age?');
    expect(html).toMatch(/name="notIndependentlyMobile" type="checkbox" value="yes" checked/);
  });
});
