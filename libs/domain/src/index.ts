/**
 * @fh/domain — the rules of Family Handover, with no framework and no I/O.
 *
 * vocabulary   the enumerations of the API and their types
 * codes        the shapes of ODS and area codes
 * nhs-number   modulus-11 NHS number check
 * calendar     Europe/London working-day calendar (England & Wales bank holidays)
 * clocks       deadlines and first chase times (DESIGN §5), one ClockPolicy
 * chase-policy the chasing ladder (DESIGN §6)
 * facts        the family facts the rules read
 * risk-flags   the risk flags (DESIGN §4)
 * refusals     every refusal code and its wording (lifecycle and chasing)
 * lifecycle/   the transfer lifecycle (DESIGN §3): decide(), transitions, effects, visibility
 * available-actions  what a caller may do now, and why not (decide() as a dry run)
 * directory-duties   separation of duties in the directory (four eyes on access grants)
 * child-seen   the child seen in the new area (issue 14 item 1): due dates and status
 * confidential-address  who may read a confidential new address, and what everyone else is shown
 * transfer-requests  a family found by the receiving side: asking the originating team to transfer
 * family-not-reached the family not reached: attempts, locate checklist, national alert, found
 */
export * from './vocabulary.js';
export * from './codes.js';
export * from './nhs-number.js';
export * from './calendar.js';
export * from './clocks.js';
export * from './chase-policy.js';
export * from './facts.js';
export * from './risk-flags.js';
export * from './refusals.js';
export * from './lifecycle/index.js';
export * from './risk-flag-titles.js';
export * from './clock.js';
export * from './chasing.js';
export * from './available-actions.js';
export * from './directory-duties.js';
export * from './confidential-address.js';
export * from './retention.js';
export * from './transfer-requests.js';
export * from './child-seen.js';
export * from './family-not-reached.js';
