import { createViewEnvironment } from '../view.service.js';
import { memberInputs, readMember } from './draft.js';
import type { Draft } from './draft.js';

/** A child's statutory order on the member page (issue 13 item 2), and kept when other sections save. */
describe('member: a child under a statutory order', () => {
  const child = { role: 'child', givenName: 'Ada', familyName: 'Example', sex: 'female', livesInHousehold: 'yes' };

  it('is read for a child and never for an adult', () => {
    expect(readMember({ ...child, statutoryOrder: 'interim_care_order' }, 'm-1', null).member.statutoryOrder).toBe(
      'interim_care_order',
    );
    expect(readMember({ ...child, statutoryOrder: '' }, 'm-1', null).member.statutoryOrder).toBeNull();
    expect(
      readMember({ ...child, role: 'mother', statutoryOrder: 'care_order' }, 'm-2', null).member.statutoryOrder,
    ).toBeNull();
  });

  it('is carried when another section saves the household, so the console never drops it', () => {
    const draft = {
      household: [
        {
          ref: 'm-1',
          role: 'child',
          givenName: 'Ada',
          familyName: 'Example',
          statutoryOrder: 'care_order',
          involvements: [],
          riskFactors: [],
          gp: null,
        },
      ],
    } as unknown as Draft;
    expect(memberInputs(draft)[0]!.statutoryOrder).toBe('care_order');
  });

  it('the member page offers the orders, the stored one selected', () => {
    const html = createViewEnvironment().render('pages/new-transfer/member.njk', {
      csrfToken: 'x',
      title: 't',
      currentPath: '/transfers/new/d1/household/m-1',
      draft: { id: 'd1', reference: 'HT-1' },
      member: null,
      values: { role: 'child', statutoryOrder: 'supervision_order', riskFactors: [] },
      choices: { roles: [], sexes: [], mobilities: [], riskFactors: [] },
      agencyRows: 1,
      errors: { errorList: [], fields: {} },
    });
    expect(html).toContain('Is the child under a statutory order?');
    expect(html).toMatch(/value="supervision_order" selected/);
  });
});
