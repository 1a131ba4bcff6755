import { moveFieldOf, readMoveDetails, REASON_SECTION } from './draft.js';

/** The move-details form's temporary-move fields (issue 13 item 3): otherwise a temporary move could not be sent. */
describe('move details: a temporary move', () => {
  const base = { 'moveDate-day': '20', 'moveDate-month': '11', 'moveDate-year': '2026', involvement: 'child_in_need' };
  const errors = (body: Record<string, string>) =>
    readMoveDetails(body)
      .checks.filter(([, e]) => e)
      .map(([field, e]) => `${field}: ${e}`);

  it('sends when it is expected to end, the review date and a short stay’s choice — only for a temporary move', () => {
    const { fields } = readMoveDetails({
      ...base,
      moveType: 'temporary',
      'expectedUntil-day': '1',
      'expectedUntil-month': '12',
      'expectedUntil-year': '2026',
      shortStayRecordAs: 'host_notification',
      shortStayReason: 'a week in a refuge, then home',
    });
    expect(fields).toEqual(
      expect.objectContaining({
        expectedUntil: '2026-12-01',
        reviewOn: null,
        shortStayChoice: { recordAs: 'host_notification', reason: 'a week in a refuge, then home' },
      }),
    );
    const permanent = readMoveDetails({
      ...base,
      moveType: 'permanent',
      'expectedUntil-day': '1',
      shortStayRecordAs: 'transfer',
    });
    expect([permanent.fields.expectedUntil, permanent.fields.shortStayChoice]).toEqual([null, null]);
    expect(permanent.checks.filter(([, e]) => e)).toEqual([]);
  });

  it('asks for a date to end or review, and the reason for a short stay’s choice', () => {
    expect(errors({ ...base, moveType: 'temporary' })).toEqual([
      'expectedUntil: Enter when the temporary stay is expected to end, or when to review it',
    ]);
    expect(
      errors({ ...base, moveType: 'temporary', 'reviewOn-day': '30', 'reviewOn-month': '2', 'reviewOn-year': '2027' }),
    ).toEqual(['reviewOn: The review date must be a real date']);
    expect(
      errors({
        ...base,
        moveType: 'temporary',
        'reviewOn-day': '1',
        'reviewOn-month': '2',
        'reviewOn-year': '2027',
        shortStayRecordAs: 'transfer',
      }),
    ).toEqual(['shortStayReason: Enter why the short stay is recorded this way']);
  });

  it('the initiation’s temporary-move refusals lead back to move details, at their field', () => {
    for (const code of ['TEMPORARY_MOVE_DATES_MISSING', 'SHORT_STAY_CHOICE_MISSING', 'SHORT_STAY_NOT_SHORT'])
      expect(REASON_SECTION[code]).toBe('move-details');
    expect(moveFieldOf('shortStayChoice.reason')).toBe('shortStayReason');
    expect(moveFieldOf('expectedUntil')).toBe('expectedUntil');
  });
});
