/**
 * A transfer's snapshot (packet.source.ts) → its packet document (packet.document.ts). Pure: the same record always
 * gives the same document (ages are taken on the day of the latest initiation, not "today"), so
 * a repeated generation of an unchanged transfer hashes the same and writes no new version.
 */
import {
  ageInMonths,
  bruisingProtocolMissing,
  BRUISING_PROTOCOL_ITEMS,
  childSeenStatus,
  confidentialAddressText,
  isBruiseOrInjury,
  isLocalDate,
  isMaleCarerRole,
  isParentOrCarerRole,
  isNonMobileOn,
  isValidNhsNumber,
  londonDate,
  NON_MOBILE_AGE_MONTHS,
  RISK_FLAG_SEVERITIES,
  RISK_FLAG_TITLES,
  UNKNOWN_MOBILITY_AGE_MONTHS,
} from '@fh/domain';
import type { BruisingProtocolItem, ConferenceOutcome, RiskFlag } from '@fh/domain';
import { dateWords, instantWords, iso } from './dates.js';
import {
  PACKET_FORMAT,
  type PacketAdvice,
  type PacketAppointment,
  type PacketBruisingProtocol,
  type PacketChild,
  type PacketConcern,
  type PacketContact,
  type PacketDocument,
  type PacketMember,
  type PacketPersonRef,
  type PacketRiskFlag,
  type PacketSection,
  type PacketTransfer,
  type SeenStatus,
} from './packet.document.js';
import type { PacketSource, PacketSourceChildSeen, PacketSourceConcern, PacketSourceMember } from './packet.source.js';
import {
  agencyWords,
  ageWords,
  APPOINTMENT_STATUS_WORDS,
  BRUISING_PROTOCOL_WORDS,
  CONCERN_WORDS,
  CONTACT_METHOD_WORDS,
  CONTACT_STATE_WORDS,
  formatNhsNumber,
  GP_WORDS,
  humanise,
  INVOLVEMENT_WORDS,
  LOCATE_CHECK_WORDS,
  MOBILITY_WORDS,
  MOVE_TYPE_WORDS,
  NOT_REACHED_METHOD_WORDS,
  placeWords,
  plural,
  RISK_FACTOR_WORDS,
  roleWords,
  SEVERITY_WORDS,
  SEX_WORDS,
  STATUS_WORDS,
  STATUTORY_ORDER_WORDS,
} from './words.js';

const GROUP_WORDS: Readonly<Record<PacketMember['group'], string>> = {
  parent_or_carer: 'Parent or carer',
  other_adult: 'Other adult',
  child: 'Child',
};

const nameOf = (m: Pick<PacketSourceMember, 'givenName' | 'familyName'>) => `${m.givenName} ${m.familyName}`.trim();

function monthsOn(dateOfBirth: string | null, onDate: string): number | null {
  if (!dateOfBirth || !isLocalDate(dateOfBirth) || !isLocalDate(onDate)) return null;
  return ageInMonths(dateOfBirth, onDate);
}

/** The packet document for a transfer as it is stored now. */
export function buildPacket(record: PacketSource): PacketDocument {
  const t = record.transfer;
  const asOf = londonDate(t.initiatedAt ?? t.createdAt);
  const members = record.members;
  const byId = new Map(members.map((m) => [m.id, m] as const));
  const person = (memberId: string): PacketPersonRef => {
    const m = byId.get(memberId);
    return m
      ? { memberId, name: nameOf(m), roleText: roleWords(m.role, m.sex, members) }
      : { memberId, name: 'Someone no longer recorded', roleText: 'Unknown' };
  };

  const accountableSide = t.accountablePractitionerTeamId === t.receivingTeamId ? 'receiving' : 'sending';
  const hostNotification = t.kind === 'host_notification' ? hostNotificationOf(t, members) : null;
  const temporary = t.moveType === 'temporary' ? temporaryMoveOf(t) : null;
  const conference = t.conferenceDueAt || t.conferenceHeldOn ? conferenceOf(t) : null;
  const awaitingConference = t.status === 'awaiting_conference';
  const accountableTeam = accountableSide === 'receiving' ? t.receivingTeamName : t.sendingTeamName;
  const confidential = t.newAddress?.confidential === true;
  const address = confidential
    ? [confidentialAddressText(t.accountablePractitionerName)]
    : t.newAddress
      ? [t.newAddress.line1, t.newAddress.line2, t.newAddress.town, t.newAddress.postcode].filter((p) => p && p.trim())
      : [];
  const transfer: PacketTransfer = {
    id: t.id,
    reference: t.reference,
    status: t.status,
    statusText: STATUS_WORDS[t.status],
    involvement: t.involvement,
    involvementText: INVOLVEMENT_WORDS[t.involvement],
    from: {
      area: t.sendingAreaCode,
      areaName: t.sendingAreaName,
      teamId: t.sendingTeamId,
      teamName: t.sendingTeamName,
    },
    to: {
      area: t.receivingAreaCode,
      areaName: t.receivingAreaName,
      teamId: t.receivingTeamId,
      teamName: t.receivingTeamName,
    },
    accountablePractitioner: {
      id: t.accountablePractitionerId,
      name: t.accountablePractitionerName,
      teamName: accountableTeam,
      side: accountableSide,
      text: hostNotification
        ? `${t.accountablePractitionerName}, ${accountableTeam} (sending team): stays responsible for good (a host notification is never accepted)`
        : awaitingConference
          ? `${t.accountablePractitionerName}, ${accountableTeam} (sending team): stays responsible until the transfer-in conference’s written outcome is confirmed`
          : accountableSide === 'sending'
            ? `${t.accountablePractitionerName}, ${accountableTeam} (sending team): stays responsible until the receiving team accepts`
            : `${t.accountablePractitionerName}, ${accountableTeam} (receiving team): responsible since the transfer was accepted`,
    },
    initiatedAt: iso(t.initiatedAt),
    contactDueAt: iso(t.contactDueAt),
    contactDueText: t.contactDueAt ? `By ${instantWords(iso(t.contactDueAt))}` : 'No deadline set',
    move: {
      date: t.moveDate,
      type: t.moveType,
      typeText: MOVE_TYPE_WORDS[t.moveType],
      reason: t.reason,
      previousArea: t.previousAddressArea ? placeWords(t.previousAddressArea) : null,
      newAddress: address.length ? address.join(', ') : null,
      ...(confidential ? { addressConfidential: true as const } : {}),
      ...(temporary ? { temporary } : {}),
    },
    ...lawfulBasisOf(t),
    ...notReachedOf(record),
    ...(hostNotification ? { hostNotification } : {}),
    ...(conference ? { conference } : {}),
  };

  const riskFlags = flagsOf(record, person);
  const sections: PacketSection[] = [
    household(record, asOf),
    thinkFamily(record, person),
    {
      key: 'children',
      heading: 'The children',
      children: members.filter((m) => m.role === 'child').map((m) => child(m, asOf, seenInNewArea(record, m.id, asOf))),
    },
    concerns(record, person),
    appointments(record, person),
    {
      key: 'supportNetwork',
      heading: 'Support network',
      leftSupportNetwork: t.leftSupportNetwork,
      note: t.supportNetworkNote,
      text: t.leftSupportNetwork
        ? `The move takes the family away from its support network${t.supportNetworkNote ? `: ${t.supportNetworkNote}` : ''}. Moving away from support can make a family more vulnerable.`
        : 'The move is not recorded as taking the family away from its support network.',
    },
    directContact(record),
  ];
  return { format: PACKET_FORMAT, asOf, transfer, riskFlags, sections };
}

function flagsOf(record: PacketSource, person: (id: string) => PacketPersonRef): PacketRiskFlag[] {
  const rank = (f: RiskFlag) => RISK_FLAG_SEVERITIES.indexOf(f.severity);
  return [...record.transfer.riskFlags]
    .map((f, position) => ({ f, position }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.position - b.position)
    .map(({ f }) => {
      const advice = record.acknowledgements
        .filter((a) => a.code === f.code)
        .map((a): PacketAdvice => ({
          name: a.acknowledgedByName ?? null,
          acknowledgedAt: iso(a.acknowledgedAt)!,
          advice: a.advice,
          // the bruising protocol (issue 14 item 4): present only when the lead addressed missing items
          ...(a.actions?.length
            ? {
                actions: a.actions.map((x) => ({
                  item: x.item,
                  itemText: BRUISING_PROTOCOL_WORDS[x.item] ?? humanise(x.item),
                  action: x.action,
                })),
              }
            : {}),
        }));
      const words = RISK_FLAG_TITLES[f.code];
      return {
        code: f.code,
        severity: f.severity,
        severityText: SEVERITY_WORDS[f.severity],
        title: words.title,
        meaning: words.why,
        summary: f.summary.charAt(0).toUpperCase() + f.summary.slice(1),
        about: f.memberIds.map(person),
        safeguardingLead: advice.at(-1) ?? null,
        safeguardingAdvice: advice,
        ...(f.missing ? { protocol: protocolOfFlag(f.missing) } : {}),
      };
    });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** What the bruising protocol still lacks across the flag's concerns, in words (issue 14 item 4). */
function protocolOfFlag(missing: readonly BruisingProtocolItem[]): NonNullable<PacketRiskFlag['protocol']> {
  return {
    missing: missing.map((item) => ({ item, text: BRUISING_PROTOCOL_WORDS[item] })),
    text: missing.length
      ? `Bruising protocol still missing: ${missing.map((item) => lowerFirst(BRUISING_PROTOCOL_WORDS[item])).join('; ')}. A safeguarding lead’s acknowledgement must say what was done about each.`
      : 'Bruising protocol recorded: health assessment, referral, multi-agency discussion and the parents’ explanation.',
  };
}

/**
 * The bruising protocol's record of a bruise or injury on a child who was not independently mobile
 * when it was seen (issue 14 item 4); null when it does not apply.
 */
function bruisingProtocolOf(c: PacketSourceConcern, m: PacketSourceMember | undefined): PacketBruisingProtocol | null {
  if (!isBruiseOrInjury(c.type) || !m || m.role !== 'child' || !isNonMobileOn(m, c.observedOn)) return null;
  const missing = bruisingProtocolMissing({
    protocol: {
      healthAssessmentOn: c.healthAssessment?.on ?? null,
      referralOn: c.referral?.on ?? null,
      multiAgencyDiscussionOn: c.multiAgencyDiscussion?.on ?? null,
      parentsExplanationRecorded: (c.parentsExplanation ?? '').trim().length > 0,
    },
  });
  const recordedText: Record<BruisingProtocolItem, () => string> = {
    health_assessment: () => `by ${c.healthAssessment!.by}, on ${dateWords(c.healthAssessment!.on)}`,
    referral: () => `on ${dateWords(c.referral!.on)}, reference ${c.referral!.reference}`,
    multi_agency_discussion: () =>
      `on ${dateWords(c.multiAgencyDiscussion!.on)}; outcome: ${c.multiAgencyDiscussion!.outcome}`,
    parents_explanation: () => `“${c.parentsExplanation!.trim()}”`,
  };
  return {
    items: BRUISING_PROTOCOL_ITEMS.map((item) => {
      const recorded = !missing.includes(item);
      return {
        item,
        recorded,
        text: `${BRUISING_PROTOCOL_WORDS[item]}: ${recorded ? recordedText[item]() : 'NOT RECORDED'}`,
      };
    }),
    missing,
    text: missing.length
      ? `The child was not independently mobile when this was seen: the bruising protocol applies, and ${plural(missing.length, 'item is', 'items are')} not recorded.`
      : 'The child was not independently mobile when this was seen: the bruising protocol applies, and every item is recorded.',
  };
}

function seenOf(engaged: boolean | null): { seen: SeenStatus; seenText: string } {
  if (engaged === true) return { seen: 'yes', seenText: 'Seen and spoken with by a practitioner' };
  if (engaged === false) return { seen: 'no', seenText: 'NOT seen and spoken with by a practitioner (not engaged)' };
  return { seen: 'not_known', seenText: 'Not known whether seen by a practitioner: treat as not seen' };
}

function household(record: PacketSource, asOf: string): PacketSection {
  const t = record.transfer;
  const groupOf = (m: PacketSourceMember): PacketMember['group'] =>
    m.role === 'child'
      ? 'child'
      : isParentOrCarerRole(m.role) || isMaleCarerRole(m.role, m.sex)
        ? 'parent_or_carer'
        : 'other_adult';
  const order: PacketMember['group'][] = ['parent_or_carer', 'other_adult', 'child'];
  const members = record.members
    .map((m, position) => ({ m, position }))
    .sort((a, b) => order.indexOf(groupOf(a.m)) - order.indexOf(groupOf(b.m)) || a.position - b.position)
    .map(({ m }): PacketMember => {
      const months = monthsOn(m.dateOfBirth, asOf);
      const adult = m.role !== 'child';
      const seen = adult ? seenOf(m.engaged) : { seen: null, seenText: null };
      return {
        memberId: m.id,
        name: nameOf(m),
        role: m.role,
        roleText: roleWords(m.role, m.sex, record.members),
        group: groupOf(m),
        groupText: GROUP_WORDS[groupOf(m)],
        maleCarer: isMaleCarerRole(m.role, m.sex),
        sex: m.sex,
        sexText: SEX_WORDS[m.sex],
        dateOfBirth: m.dateOfBirth,
        ageText: months === null ? null : adult ? plural(Math.floor(months / 12), 'year', 'years') : ageWords(months),
        livesInHousehold: m.livesInHousehold,
        livesText: m.livesInHousehold ? 'Lives in the household' : 'Does not live in the household',
        ...seen,
        riskFactors: m.riskFactors.map((code) => ({ code, text: RISK_FACTOR_WORDS[code] ?? humanise(code) })),
        otherAgencies: m.involvements.length,
      };
    });
  return {
    key: 'household',
    heading: 'Who lives in the household',
    confirmed: t.householdConfirmed,
    confirmedText: t.householdConfirmed
      ? 'The sending practitioner has confirmed who lives in the household.'
      : 'Who lives in the household has NOT been confirmed by the sending practitioner.',
    noMaleCarerReason: t.noMaleCarerReason,
    members,
  };
}

function thinkFamily(record: PacketSource, person: (id: string) => PacketPersonRef): PacketSection {
  const adults = record.members
    .filter((m) => m.role !== 'child' && (m.involvements.length > 0 || m.riskFactors.length > 0))
    .map((m) => ({
      person: person(m.id),
      riskFactors: m.riskFactors.map((code) => ({ code, text: RISK_FACTOR_WORDS[code] ?? humanise(code) })),
      involvements: m.involvements.map((i) => ({
        agency: i.agency,
        agencyText: agencyWords(i.agency),
        area: i.area,
        areaText: i.area ? placeWords(i.area) : 'area not recorded',
        detail: i.detail,
      })),
    }));
  return {
    key: 'thinkFamily',
    heading: 'Adults known to other agencies (Think Family)',
    text: adults.length
      ? 'What the adults in the household bring, and which other agencies know them, in any area. Ask those agencies what they know.'
      : 'No adult in the household is recorded as known to another agency or as carrying a risk.',
    adults,
  };
}

const WHERE_SEEN_WORDS: Record<string, string> = {
  home: 'at home',
  clinic: 'at a clinic',
  school: 'at school or nursery',
  other: 'elsewhere',
};

/** Seen in the new area or not, as of the packet's day (issue 14 item 1); undefined before initiation. */
function seenInNewArea(record: PacketSource, memberId: string, asOf: string): PacketChild['seenInNewArea'] {
  const item: PacketSourceChildSeen | undefined = record.childrenSeen?.find((c) => c.memberId === memberId);
  if (!item) return undefined;
  const seen = item.resolution === 'seen' ? item.seen : null;
  const { dueOn, overdue, workingDaysSinceMove } = childSeenStatus(
    record.transfer.moveDate,
    { dueOn: item.dueOn, seenOn: seen?.seenOn ?? null },
    asOf,
  );
  const days = plural(workingDaysSinceMove, 'working day', 'working days');
  const status = seen ? 'seen' : item.status === 'closed' ? 'no_longer_required' : 'not_seen';
  const text = seen
    ? `Seen ${WHERE_SEEN_WORDS[seen.where] ?? ''} on ${dateWords(seen.seenOn)}${seen.seenByName ? ` by ${seen.seenByName}` : ''}, ${
        seen.seenAlone ? 'seen alone' : 'not seen alone'
      } (${days} after the move)${seen.note ? `: ${seen.note}` : ''}`
    : status === 'no_longer_required'
      ? 'Not to be seen by the receiving team: closed by a manager as no longer required'
      : `Not yet seen in the new area as of ${dateWords(asOf)}: ${days} since the move${
          dueOn ? `; ${overdue ? 'was due' : 'due'} to be seen by ${dateWords(dueOn)}` : ''
        }`;
  return {
    status,
    dueOn,
    seenOn: seen?.seenOn ?? null,
    where: seen?.where ?? null,
    seenAlone: seen?.seenAlone ?? null,
    seenByName: seen?.seenByName ?? null,
    note: seen?.note ?? null,
    workingDaysSinceMove,
    text,
  };
}

function child(m: PacketSourceMember, asOf: string, seen: PacketChild['seenInNewArea']): PacketChild {
  const months = monthsOn(m.dateOfBirth, asOf);
  const young = months !== null && months < NON_MOBILE_AGE_MONTHS;
  const underOne = months !== null && months < UNKNOWN_MOBILITY_AGE_MONTHS;
  const recorded =
    m.mobility === null || m.mobility === 'unknown'
      ? `${m.mobility === null ? 'Mobility not recorded' : MOBILITY_WORDS.unknown}${young ? `; under ${NON_MOBILE_AGE_MONTHS} months, so treat as not yet mobile` : underOne ? '; under 12 months, so treat as not independently mobile' : ''}`
      : MOBILITY_WORDS[m.mobility];
  // issue 14 item 4: a child of any age recorded as not independently mobile (disabled or developmentally delayed)
  const mobilityText =
    m.notIndependentlyMobile === true
      ? `${recorded}; recorded as NOT independently mobile (disability or developmental delay): the bruising protocol applies at any age`
      : recorded;
  const gpText =
    m.gp.status === 'registered'
      ? `Registered with a GP${m.gp.practiceName ? `: ${m.gp.practiceName}` : ''}${m.gp.practiceOds ? ` (practice code ${m.gp.practiceOds})` : ''}`
      : m.gp.status
        ? GP_WORDS[m.gp.status]
        : 'GP registration not recorded';
  const nhs: PacketChild['nhsNumber'] =
    m.nhsNumber === null || m.nhsNumber.trim() === ''
      ? {
          status: 'missing',
          number: null,
          text: 'No NHS number recorded: health records cannot be matched across areas',
        }
      : isValidNhsNumber(m.nhsNumber)
        ? {
            status: 'valid',
            number: formatNhsNumber(m.nhsNumber),
            text: `NHS number ${formatNhsNumber(m.nhsNumber)} (check digit valid)`,
          }
        : {
            status: 'invalid',
            number: formatNhsNumber(m.nhsNumber),
            text: `NHS number ${formatNhsNumber(m.nhsNumber)} recorded, but it fails the check digit: confirm it`,
          };
  return {
    memberId: m.id,
    name: nameOf(m),
    sex: m.sex,
    sexText: SEX_WORDS[m.sex],
    dateOfBirth: m.dateOfBirth,
    ageInMonths: months,
    ageText: months === null ? 'Date of birth not recorded' : `${ageWords(months)} on ${dateWords(asOf)}`,
    mobility: m.mobility,
    mobilityText,
    gp: { status: m.gp.status, text: gpText, practiceName: m.gp.practiceName, practiceOds: m.gp.practiceOds },
    nhsNumber: nhs,
    ...(seen ? { seenInNewArea: seen } : {}),
  };
}

function concerns(record: PacketSource, person: (id: string) => PacketPersonRef): PacketSection {
  const byId = new Map(record.members.map((m) => [m.id, m] as const));
  const list = record.concerns
    .map((c, position) => ({ c, position }))
    .sort((a, b) =>
      a.c.observedOn < b.c.observedOn ? 1 : a.c.observedOn > b.c.observedOn ? -1 : a.position - b.position,
    )
    .map(({ c }): PacketConcern => {
      const m = byId.get(c.memberId);
      const bruise = isBruiseOrInjury(c.type);
      const protocol = bruisingProtocolOf(c, m);
      return {
        about: person(c.memberId),
        type: c.type,
        typeText: CONCERN_WORDS[c.type] ?? humanise(c.type),
        observedOn: c.observedOn,
        ageInMonthsThen: m && m.role === 'child' ? monthsOn(m.dateOfBirth, c.observedOn) : null,
        description: c.description,
        safeguardingAdviceSought: c.safeguardingAdviceSought,
        adviceText:
          c.safeguardingAdviceSought === true
            ? 'Safeguarding advice was sought'
            : c.safeguardingAdviceSought === false
              ? bruise
                ? 'Safeguarding advice was NOT sought: seek it now'
                : 'Safeguarding advice was not sought'
              : bruise
                ? 'Not recorded whether safeguarding advice was sought: treat as not sought and seek it now'
                : 'Not recorded whether safeguarding advice was sought',
        ...(protocol ? { bruisingProtocol: protocol } : {}),
      };
    });
  const unadvised = list.filter((c) => isBruiseOrInjury(c.type) && c.safeguardingAdviceSought !== true).length;
  return {
    key: 'concerns',
    heading: 'Concerns',
    text: list.length
      ? `${plural(list.length, 'concern', 'concerns')} recorded, most recent first.${unadvised ? ` ${plural(unadvised, 'bruise or injury', 'bruises or injuries')} without safeguarding advice.` : ''}`
      : 'No concerns recorded.',
    concerns: list,
  };
}

function appointments(record: PacketSource, person: (id: string) => PacketPersonRef): PacketSection {
  const list = record.appointments
    .map((a, position) => ({ a, position }))
    .sort((x, y) => (x.a.dueOn < y.a.dueOn ? -1 : x.a.dueOn > y.a.dueOn ? 1 : x.position - y.position))
    .map(({ a }): PacketAppointment => {
      // Not seen: not brought, or no access at a home visit (issue 14 item 5).
      const wnb = a.status === 'was_not_brought' || a.status === 'no_access';
      const rebookable = wnb || a.status === 'cancelled_by_carer';
      const statusText = rebookable
        ? `${APPOINTMENT_STATUS_WORDS[a.status]}${a.rebookedFor ? `: rebooked for ${dateWords(a.rebookedFor)}` : ': not yet rebooked'}`
        : a.status === 'rescheduled' && a.rescheduledFor
          ? `${APPOINTMENT_STATUS_WORDS.rescheduled}: now on ${dateWords(a.rescheduledFor)}`
          : a.status === 'attended' && a.attendedOn
            ? `Attended on ${dateWords(a.attendedOn)}`
            : APPOINTMENT_STATUS_WORDS[a.status];
      return {
        for: person(a.memberId),
        kind: a.kind,
        kindText: humanise(a.kind),
        provider: a.provider,
        dueOn: a.dueOn,
        status: a.status,
        statusText,
        wasNotBrought: wnb,
        attendedOn: a.attendedOn,
        rebookedFor: a.rebookedFor,
        // Only a rescheduled appointment has it, so every other packet hashes as before.
        ...(a.status === 'rescheduled' ? { rescheduledFor: a.rescheduledFor ?? null } : {}),
      };
    });
  const missed = list.filter((a) => a.wasNotBrought);
  const children = new Set(missed.map((a) => a.for.memberId)).size;
  return {
    key: 'appointments',
    heading: 'Appointments',
    wasNotBrought: missed.length,
    text: missed.length
      ? `Not brought to ${plural(missed.length, 'appointment', 'appointments')}${children > 1 ? ` (across ${children} children)` : ''}${
          missed.some((a) => a.status === 'no_access') ? ', counting home visits with no access' : ''
        }.`
      : list.length
        ? 'No appointment recorded as "was not brought".'
        : 'No appointments recorded.',
    appointments: list,
  };
}

function directContact(record: PacketSource): PacketSection {
  const t = record.transfer;
  const c = record.contacts.at(-1) ?? null;
  const heading = 'Direct conversation and agreed actions';
  if (!c) {
    return {
      key: 'directContact',
      heading,
      recorded: false,
      text: `Not yet recorded. The receiving team must speak directly with the sending practitioner (phone, video, in person or a meeting)${t.contactDueAt ? ` by ${instantWords(iso(t.contactDueAt))}` : ''}: sending information alone does not safeguard.`,
      contact: null,
    };
  }
  const ownerText = (owner: 'sending' | 'receiving') =>
    owner === 'sending' ? `Sending team (${t.sendingTeamName})` : `Receiving team (${t.receivingTeamName})`;
  const contact: PacketContact = {
    occurredAt: iso(c.occurredAt)!,
    method: c.method,
    methodText: CONTACT_METHOD_WORDS[c.method] ?? humanise(c.method),
    sendingPractitioner: c.sendingPractitionerName ?? null,
    recordedBy: c.recordedByName ?? null,
    summary: c.summary,
    state: c.state,
    stateText: CONTACT_STATE_WORDS[c.state],
    checkedBy: c.checkedByName ?? null,
    checkedAt: iso(c.checkedAt),
    disputeComment: c.disputeComment,
    flagUnderstanding: c.flagAcknowledgements.map((f) => ({
      code: f.code,
      title: RISK_FLAG_TITLES[f.code]?.title ?? humanise(f.code),
      understanding: f.understanding,
    })),
    agreedActions: c.agreedActions.map((a) => ({
      description: a.description,
      owner: a.owner,
      ownerText: ownerText(a.owner),
      dueOn: a.dueOn,
      reviewOn: a.reviewOn,
    })),
  };
  return {
    key: 'directContact',
    heading,
    recorded: true,
    text: `${contact.methodText} on ${instantWords(contact.occurredAt)}${contact.sendingPractitioner ? ` with ${contact.sendingPractitioner}` : ''}${contact.recordedBy ? `, recorded by ${contact.recordedBy}` : ''}. ${contact.stateText}.`,
    contact,
  };
}

/** Why a transfer is a host notification, its contact, and who stays responsible (issue 13 item 2). */
function hostNotificationOf(
  t: PacketSource['transfer'],
  members: readonly PacketSourceMember[],
): NonNullable<PacketTransfer['hostNotification']> {
  const grounds: string[] = [];
  if (t.involvement === 'looked_after') grounds.push('a looked-after child');
  for (const m of members)
    if (m.role === 'child' && m.statutoryOrder)
      grounds.push(`${m.givenName} ${m.familyName} is subject to ${STATUTORY_ORDER_WORDS[m.statutoryOrder]}`);
  if (t.shortStayChoice?.recordAs === 'host_notification')
    grounds.push('a short temporary stay the sending team chose to record as a host notification');
  const contact = t.hostContactPractitionerName ?? null;
  return {
    grounds,
    contactName: contact,
    text:
      `A host notification, not a transfer of responsibility: ${t.sendingTeamName} (${t.sendingAreaName}) stays responsible; ` +
      `${t.receivingTeamName} is told and names a contact. Why: ${grounds.join('; ')}. ` +
      (contact ? `Host team contact: ${contact}.` : 'Host team contact: not yet named.'),
  };
}

const CONFERENCE_OUTCOME_WORDS: Readonly<Record<ConferenceOutcome, string>> = {
  plan_continues: 'the child protection plan continues',
  plan_not_continued: 'the child protection plan does not continue',
};

/** The transfer-in conference (child protection): interim lead, due date, what it decided, the written outcome. */
function conferenceOf(t: PacketSource['transfer']): NonNullable<PacketTransfer['conference']> {
  const interimLead = t.status === 'awaiting_conference' ? (t.interimLeadName ?? null) : null;
  const dueAt = iso(t.conferenceDueAt ?? null);
  const heldOn = t.conferenceHeldOn ?? null;
  const outcome = t.conferenceOutcome ?? null;
  const receivedOn = t.conferenceReceivedOn ?? null;
  const parts = [
    interimLead
      ? `${interimLead} (${t.receivingTeamName}) runs the plan on ${t.sendingAreaName}’s behalf as interim lead until the written outcome is confirmed`
      : null,
    heldOn
      ? `held on ${dateWords(heldOn)}${t.conferenceChair ? `, chaired by ${t.conferenceChair}` : ''}${outcome ? `: ${CONFERENCE_OUTCOME_WORDS[outcome]}` : ''}`
      : dueAt
        ? `due by ${instantWords(dueAt)}, not yet held`
        : null,
    heldOn
      ? receivedOn
        ? `written outcome received on ${dateWords(receivedOn)}`
        : 'written outcome not yet confirmed'
      : null,
  ].filter((p): p is string => p !== null);
  return {
    interimLead,
    dueAt,
    heldOn,
    outcome,
    outcomeText: outcome ? CONFERENCE_OUTCOME_WORDS[outcome] : null,
    chair: t.conferenceChair ?? null,
    notes: t.conferenceNotes ?? null,
    writtenOutcomeReceivedOn: receivedOn,
    text: `Transfer-in conference: ${parts.join('; ')}.`,
  };
}

/** The family not reached (issue 14 item 2): present only once a route was raised. */
function notReachedOf(record: PacketSource): Pick<PacketTransfer, 'familyNotReached'> {
  const r = record.notReached ?? null;
  if (!r) return {};
  const open = r.found === null;
  const alert = r.nationalAlert;
  const nationalAlertText = alert
    ? alert.raised
      ? `National alert raised (reference ${alert.reference}) on ${instantWords(iso(alert.decidedAt))}`
      : `Decided not to raise a national alert: ${alert.reason}`
    : open
      ? `A safeguarding lead must decide on a national alert by ${instantWords(iso(r.nationalAlertDueAt))} if the family is not found`
      : 'No national alert decision was needed: the family was found first';
  const done = r.checks.filter((c) => c.closedAt !== null).length;
  return {
    familyNotReached: {
      open,
      raisedAt: iso(r.openedAt)!,
      attempts: r.attempts.map((a) => ({
        on: a.on,
        method: a.method,
        methodText: NOT_REACHED_METHOD_WORDS[a.method],
        note: a.note,
      })),
      checks: r.checks.map((c) => ({
        check: c.check,
        text: LOCATE_CHECK_WORDS[c.check],
        done: c.closedAt !== null,
        found: c.found,
        pupilFileMoved: c.pupilFileMoved,
      })),
      nationalAlertText,
      foundText: r.found ? `Found on ${dateWords(r.found.on)}: ${r.found.how}` : null,
      text: open
        ? `FAMILY NOT REACHED since ${instantWords(iso(r.openedAt))}: ${plural(r.attempts.length, 'attempt', 'attempts')} failed; ${done} of ${r.checks.length} locate checks done`
        : `The family was not reached from ${instantWords(iso(r.openedAt))} until found on ${dateWords(r.found!.on)}`,
    },
  };
}

/** The lawful basis and the family informed (issue 13 item 4), each only once recorded. */
function lawfulBasisOf(t: PacketSource['transfer']): Pick<PacketTransfer, 'sharingBasis' | 'familyInformed'> {
  const b = t.sharingBasis ?? null;
  const f = t.familyInformed ?? null;
  return {
    ...(b
      ? {
          sharingBasis:
            b.basis === 'consent'
              ? {
                  basis: b.basis,
                  givenBy: b.givenBy,
                  givenOn: b.givenOn,
                  rationale: null,
                  approvedBy: null,
                  text: `Shared with consent, given by ${b.givenBy} on ${dateWords(b.givenOn)}`,
                }
              : {
                  basis: b.basis,
                  givenBy: null,
                  givenOn: null,
                  rationale: b.rationale,
                  approvedBy: b.approvedBy?.name ?? null,
                  text: `Shared WITHOUT consent, to safeguard the child${b.approvedBy?.name ? `, approved by ${b.approvedBy.name}` : ''}: ${b.rationale}`,
                },
        }
      : {}),
    ...(f
      ? {
          familyInformed:
            'on' in f
              ? { on: f.on, notInformedReason: null, text: `The family was told of the transfer on ${dateWords(f.on)}` }
              : {
                  on: null,
                  notInformedReason: f.notInformedReason,
                  text: `The family has NOT been told of the transfer: ${f.notInformedReason}`,
                },
        }
      : {}),
  };
}

/** A temporary move's record: when it is expected to end, when it is reviewed, and the short-stay choice. */
function temporaryMoveOf(t: PacketSource['transfer']): NonNullable<PacketTransfer['move']['temporary']> {
  const choice = t.shortStayChoice ?? null;
  const parts = [
    t.expectedUntil ? `expected to end on ${dateWords(t.expectedUntil)}` : 'no end date expected',
    t.reviewOn ? `to be reviewed on ${dateWords(t.reviewOn)}` : null,
    choice
      ? `the sending team chose to record this short stay as ${choice.recordAs === 'host_notification' ? 'a host notification' : 'a transfer'} because: ${choice.reason}`
      : null,
  ].filter((p): p is string => p !== null);
  return {
    expectedUntil: t.expectedUntil ?? null,
    reviewOn: t.reviewOn ?? null,
    shortStayChoice: choice ? { recordAs: choice.recordAs, reason: choice.reason } : null,
    text: `Temporary move: ${parts.join('; ')}.`,
  };
}
