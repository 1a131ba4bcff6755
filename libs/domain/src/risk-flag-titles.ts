import type { RiskFlagCode } from './vocabulary.js';

/**
 * Each flag in plain words, for people (packets, emails): what it is and why it matters. No flag
 * code is ever shown to a practitioner without this.
 */
export const RISK_FLAG_TITLES: Readonly<Record<RiskFlagCode, { title: string; why: string }>> = {
  NON_MOBILE_INFANT_BRUISING: {
    title: 'Bruising or injury on a baby who is not yet mobile',
    why: 'Bruising on a non-mobile baby, however minor, must always be treated seriously and safeguarding advice sought at once.',
  },
  SAFEGUARDING_ADVICE_NOT_SOUGHT: {
    title: 'Safeguarding advice not sought about a bruise or injury',
    why: 'Advice from a safeguarding lead should be sought immediately for any bruise or injury of concern.',
  },
  NO_GP_REGISTRATION: {
    title: 'Child not registered with a GP',
    why: 'Without a GP the child can drop out of universal health services and nobody notices.',
  },
  WAS_NOT_BROUGHT: {
    title: 'Child not brought to appointments',
    why: 'Missed health appointments or home visits where no one answered, especially as a pattern or across siblings, can be a sign of neglect.',
  },
  REPEATED_CANCELLATIONS: {
    title: 'Appointments repeatedly cancelled or rescheduled by the carer',
    why: 'Two or more carer cancellations or reschedules across the family: possible disguised compliance.',
  },
  ADULT_RISK_IN_HOUSEHOLD: {
    title: 'An adult in the household carries risk',
    why: 'Offending, substance misuse, domestic abuse, mental ill-health or probation involvement in any area: think family.',
  },
  MALE_CARER_NOT_ENGAGED: {
    title: 'Father or male carer not seen or engaged',
    why: 'Fathers and male carers must be known and engaged, not only mothers.',
  },
  LEFT_SUPPORT_NETWORK: {
    title: 'The family has moved away from its support network',
    why: 'Moving away from support such as grandparents can increase a family’s vulnerability.',
  },
  WEIGHT_CONCERN: {
    title: 'Concern about weight or faltering growth',
    why: 'Poor weight gain needs follow-up and may point to unmet needs.',
  },
  PARENTAL_VULNERABILITY: {
    title: 'A parent is vulnerable',
    why: 'A parent’s own vulnerability can affect their capacity to care for the children.',
  },
  NHS_NUMBER_MISSING: {
    title: 'Child without a valid NHS number',
    why: 'Without an NHS number, health records cannot be matched across areas.',
  },
  FAMILY_NOT_REACHED: {
    title: 'Family not reached',
    why: 'A receiving worker who cannot reach the family has cause for concern: the family must be located (family, school, health, police, a strategy discussion) and, if not found in time, a national alert considered.',
  },
  CONFERENCE_OVERDUE: {
    title: 'Transfer-in child protection conference overdue',
    why: 'The receiving area must hold the transfer-in conference within 15 working days; until it does and the sending area has its written outcome, the plan stays with the sending area.',
  },
};
