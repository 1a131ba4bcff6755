import { createViewEnvironment } from '../view.service.js';
import { adviceOf, PROTOCOL_ITEM_WORDS, protocolActionField, protocolActionsOf } from './transfer.page.js';
import type { RiskFlag } from './transfer.types.js';

/**
 * The safeguarding lead's advice page (issue 14 item 4): while the bruising protocol is incomplete,
 * the advice on NON_MOBILE_INFANT_BRUISING asks what was done about each missing item, sends them as
 * `actions`, and shows them with the advice once given.
 */
describe('advice page: the bruising protocol', () => {
  const env = createViewEnvironment();
  const flag: RiskFlag = {
    code: 'NON_MOBILE_INFANT_BRUISING',
    severity: 'critical',
    memberIds: ['m1'],
    summary:
      'bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol still missing: referral to children’s social care or MASH, parents’ explanation',
    missing: ['referral', 'parents_explanation'],
    safeguardingAcknowledgement: null,
    safeguardingAcknowledgements: [],
  };

  it('reads one action per missing item, and asks for each one left blank', () => {
    const form = {
      'advice-NON_MOBILE_INFANT_BRUISING': 'Seen today',
      [protocolActionField(flag.code, 'referral')]: ' Referred to MASH by phone ',
      [protocolActionField(flag.code, 'parents_explanation')]: '',
    };
    expect(protocolActionsOf(form, flag)).toEqual({
      actions: [{ item: 'referral', action: 'Referred to MASH by phone' }],
      checks: [
        ['action-NON_MOBILE_INFANT_BRUISING-referral', null],
        ['action-NON_MOBILE_INFANT_BRUISING-parents_explanation', 'Say what was done about the parents’ explanation'],
      ],
    });
    // a flag with nothing missing (or another flag) asks for nothing
    expect(protocolActionsOf(form, { code: 'NO_GP_REGISTRATION' })).toEqual({ actions: [], checks: [] });
  });

  it('shows a box per missing item under the flag’s advice, with the error at the one left blank', () => {
    const html = env.render('pages/advice.njk', {
      csrfToken: 'x',
      title: 'Give safeguarding advice',
      back: '/transfers/t',
      t: { id: 't', reference: 'HT-2026-000042' },
      flags: [
        {
          ...flag,
          value: 'Seen today',
          protocol: flag.missing!.map((item) => ({
            id: protocolActionField(flag.code, item),
            text: PROTOCOL_ITEM_WORDS[item],
            value: item === 'referral' ? 'Referred to MASH by phone' : '',
          })),
        },
      ],
      advised: [],
      errors: {
        errorList: [
          {
            text: 'Say what was done about the parents’ explanation',
            href: '#action-NON_MOBILE_INFANT_BRUISING-parents_explanation',
          },
        ],
        fields: {
          'action-NON_MOBILE_INFANT_BRUISING-parents_explanation': {
            text: 'Say what was done about the parents’ explanation',
          },
        },
      },
    });
    expect(html).toContain('The bruising protocol is not complete: what was done about each missing item?');
    expect(html).toMatch(
      /<textarea[^>]*name="action-NON_MOBILE_INFANT_BRUISING-referral"[^>]*>Referred to MASH by phone<\/textarea>/,
    );
    expect(html).toContain('The referral to children’s social care or MASH');
    expect(html).toMatch(
      /<span class="govuk-visually-hidden">Error:<\/span> Say what was done about the parents’ explanation/,
    );
  });

  it('shows what was done beside the advice already given', () => {
    const advised = {
      ...flag,
      safeguardingAcknowledgements: [
        {
          advice: 'Seen today',
          actions: [{ item: 'referral', action: 'Referred to MASH by phone' }],
          acknowledgedById: 'l1',
          acknowledgedByName: 'Lena Novak',
          acknowledgedAt: '2026-12-02T10:00:00Z',
        },
      ],
    };
    const html = env.render('pages/advice.njk', {
      csrfToken: 'x',
      title: 'Give safeguarding advice',
      back: '/transfers/t',
      t: { id: 't', reference: 'HT-2026-000042' },
      flags: [],
      advised: [{ ...advised, advice: adviceOf(advised, () => 'a safeguarding lead') }],
      errors: { errorList: [], fields: {} },
    });
    expect(html).toContain('Seen today<br>The referral to children’s social care or MASH: Referred to MASH by phone');
  });
});
