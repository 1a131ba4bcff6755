import { isBruiseOrInjury, isMaleCarerRole } from '@fh/domain';
import type { FamilyInformed, SharingBasis } from '@fh/domain';
import type {
  AppointmentRecord,
  ConcernRecord,
  FamilyRecords,
  MemberRecord,
  TransferFields,
  TransferRecord,
} from '@fh/persistence';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../common/api-error.js';
import type {
  AppointmentDto,
  ConcernDto,
  CreateTransferDto,
  FamilyInformedDto,
  MemberDto,
  SharingBasisDto,
  UpdateTransferDto,
} from './transfers.dto.js';

/** From request bodies to the records the domain decides on: ids kept, refs resolved, defaults filled. */

export function buildMembers(input: MemberDto[], existing: MemberRecord[]): MemberRecord[] {
  const seen = new Set<string>();
  const duplicates = input.filter((m) => (seen.has(m.ref) ? true : (seen.add(m.ref), false))).map((m) => m.ref);
  if (duplicates.length)
    throw ApiError.invalid([
      `household refs must be unique within the request: ${[...new Set(duplicates)].join(', ')}`,
    ]);
  const idOf = new Map(existing.map((m) => [m.ref, m.id]));
  return input.map((m) => ({
    id: idOf.get(m.ref) ?? randomUUID(),
    ref: m.ref,
    role: m.role ?? null,
    givenName: m.givenName,
    familyName: m.familyName,
    dateOfBirth: m.dateOfBirth ?? null,
    sex: m.sex ?? (isMaleCarerRole(m.role ?? null, 'unknown') ? 'male' : 'unknown'),
    nhsNumber: m.nhsNumber ?? null,
    livesInHousehold: m.livesInHousehold ?? true,
    mobility: m.mobility ?? null,
    engaged: m.engaged ?? null,
    gp: {
      status: m.gp?.status ?? null,
      practiceOds: m.gp?.practiceOds ?? null,
      practiceName: m.gp?.practiceName ?? null,
    },
    involvements: (m.involvements ?? []).map((i) => ({
      agency: i.agency,
      area: i.area ?? null,
      detail: i.detail ?? null,
    })),
    riskFactors: [...new Set(m.riskFactors ?? [])],
    statutoryOrder: m.statutoryOrder ?? null,
    notIndependentlyMobile: m.notIndependentlyMobile ?? null,
  }));
}

function memberIdFor(ref: string, members: MemberRecord[], field: string, index: number): string {
  const member = members.find((m) => m.ref === ref);
  if (!member)
    throw ApiError.invalid([`${field}.${index}.memberRef must name a household member's ref (no member "${ref}")`]);
  return member.id;
}

export function buildConcerns(input: ConcernDto[], members: MemberRecord[]): ConcernRecord[] {
  const protocolFields = ['healthAssessment', 'referral', 'multiAgencyDiscussion', 'parentsExplanation'] as const;
  const misplaced = input.flatMap((c, i) =>
    isBruiseOrInjury(c.type)
      ? []
      : protocolFields.filter((f) => c[f] !== undefined && c[f] !== null).map((f) => `concerns.${i}.${f}`),
  );
  if (misplaced.length)
    throw ApiError.invalid(
      misplaced.map((f) => `${f} is for a bruise or injury only (type bruising, possible_bruise or injury)`),
    );
  return input.map((c, i) => ({
    id: randomUUID(),
    memberId: memberIdFor(c.memberRef, members, 'concerns', i),
    type: c.type,
    observedOn: c.observedOn,
    description: c.description ?? null,
    safeguardingAdviceSought: c.safeguardingAdviceSought ?? null,
    healthAssessment: c.healthAssessment ? { by: c.healthAssessment.by, on: c.healthAssessment.on } : null,
    referral: c.referral ? { on: c.referral.on, reference: c.referral.reference } : null,
    multiAgencyDiscussion: c.multiAgencyDiscussion
      ? { on: c.multiAgencyDiscussion.on, outcome: c.multiAgencyDiscussion.outcome }
      : null,
    parentsExplanation: c.parentsExplanation?.trim() ? c.parentsExplanation.trim() : null,
  }));
}

/** An appointment sent again (same person, kind and date) keeps its id, and so its chase item. */
export function buildAppointments(
  input: AppointmentDto[],
  members: MemberRecord[],
  existing: AppointmentRecord[] = [],
): AppointmentRecord[] {
  const unclaimed = [...existing];
  return input.map((a, i) => {
    const memberId = memberIdFor(a.memberRef, members, 'appointments', i);
    const same = unclaimed.findIndex((e) => e.memberId === memberId && e.kind === a.kind && e.dueOn === a.dueOn);
    const kept = same >= 0 ? unclaimed.splice(same, 1)[0] : null;
    return {
      id: kept?.id ?? randomUUID(),
      memberId,
      kind: a.kind,
      provider: a.provider ?? null,
      dueOn: a.dueOn,
      status: a.status,
      attendedOn: kept?.attendedOn ?? null,
      rebookedFor: kept?.rebookedFor ?? null,
    };
  });
}

/** Concerns or appointments kept across a household replacement follow their member's ref. */
export function rebind<T extends { memberId: string }>(
  items: T[],
  refOfId: Map<string, string>,
  members: MemberRecord[],
): T[] {
  return items.map((item, i) => {
    const ref = refOfId.get(item.memberId);
    const member = members.find((m) => m.ref === ref);
    if (!member)
      throw ApiError.invalid([
        `a concern or appointment (${i}) is about a household member this update removes; send concerns and appointments too`,
      ]);
    return { ...item, memberId: member.id };
  });
}

/**
 * The lawful basis and the family informed (issue 13 item 4) from their request bodies: only the
 * fields of the basis given, and either a date or a reason; null clears, undefined keeps `kept`.
 */
function sharingBasisOf(dto: SharingBasisDto | null | undefined, kept: SharingBasis | null): SharingBasis | null {
  if (dto === undefined) return kept;
  if (dto === null) return null;
  const other =
    dto.basis === 'consent'
      ? (['rationale', 'approvedById'] as const).filter((k) => dto[k] !== undefined)
      : (['givenBy', 'givenOn'] as const).filter((k) => dto[k] !== undefined);
  if (other.length) throw ApiError.invalid(other.map((k) => `sharingBasis.${k} is not part of the basis ${dto.basis}`));
  return dto.basis === 'consent'
    ? { basis: 'consent', givenBy: dto.givenBy!, givenOn: dto.givenOn! }
    : { basis: 'safeguarding_without_consent', rationale: dto.rationale!, approvedById: dto.approvedById! };
}

function familyInformedOf(
  dto: FamilyInformedDto | null | undefined,
  kept: FamilyInformed | null,
): FamilyInformed | null {
  if (dto === undefined) return kept;
  if (dto === null) return null;
  if (dto.on !== undefined && dto.notInformedReason !== undefined)
    throw ApiError.invalid([
      'familyInformed: give the date the family was told (on) or why not (notInformedReason), not both',
    ]);
  return dto.on !== undefined ? { on: dto.on } : { notInformedReason: dto.notInformedReason! };
}

/** The stored lawful basis without the approver the store found beside it. */
function storedBasis(b: TransferRecord['transfer']['sharingBasis']): SharingBasis | null {
  if (b?.basis !== 'safeguarding_without_consent') return b;
  const { approvedBy: _a, ...basis } = b;
  return basis;
}

/** A new draft from its request body. */
export function draftOf(dto: CreateTransferDto): { fields: TransferFields } & FamilyRecords {
  const members = buildMembers(dto.household ?? [], []);
  return {
    fields: {
      involvement: dto.involvement,
      moveDate: dto.moveDate,
      moveType: dto.moveType,
      expectedUntil: dto.expectedUntil ?? null,
      reviewOn: dto.reviewOn ?? null,
      shortStayChoice: dto.shortStayChoice ?? null,
      sharingBasis: sharingBasisOf(dto.sharingBasis, null),
      familyInformed: familyInformedOf(dto.familyInformed, null),
      reason: dto.reason ?? null,
      previousAddressArea: dto.previousAddressArea ?? null,
      newAddress: dto.newAddress ?? null,
      leftSupportNetwork: dto.leftSupportNetwork ?? false,
      supportNetworkNote: dto.supportNetworkNote ?? null,
      householdConfirmed: dto.householdConfirmed ?? false,
      noMaleCarerReason: dto.noMaleCarerReason ?? null,
    },
    members,
    concerns: buildConcerns(dto.concerns ?? [], members),
    appointments: buildAppointments(dto.appointments ?? [], members),
  };
}

/**
 * A draft update from its request body and the stored transfer: what is sent replaces, what is not is
 * kept; a household sent without concerns or appointments keeps them, following their member's ref.
 */
export function revisionOf(dto: UpdateTransferDto, record: TransferRecord): { fields: TransferFields } & FamilyRecords {
  const t = record.transfer;
  const members = dto.household ? buildMembers(dto.household, record.members) : record.members;
  const refs = new Map(record.members.map((m) => [m.id, m.ref]));
  const concerns = dto.concerns
    ? buildConcerns(dto.concerns, members)
    : dto.household
      ? rebind(record.concerns, refs, members)
      : record.concerns;
  const appointments = dto.appointments
    ? buildAppointments(dto.appointments, members, record.appointments)
    : dto.household
      ? rebind(record.appointments, refs, members)
      : record.appointments;
  return {
    fields: {
      involvement: dto.involvement ?? t.involvement,
      moveDate: dto.moveDate ?? t.moveDate,
      moveType: dto.moveType ?? t.moveType,
      expectedUntil: dto.expectedUntil !== undefined ? dto.expectedUntil : t.expectedUntil,
      reviewOn: dto.reviewOn !== undefined ? dto.reviewOn : t.reviewOn,
      shortStayChoice: dto.shortStayChoice !== undefined ? dto.shortStayChoice : t.shortStayChoice,
      sharingBasis: sharingBasisOf(dto.sharingBasis, storedBasis(t.sharingBasis)),
      familyInformed: familyInformedOf(dto.familyInformed, t.familyInformed),
      reason: dto.reason !== undefined ? dto.reason : t.reason,
      previousAddressArea: dto.previousAddressArea !== undefined ? dto.previousAddressArea : t.previousAddressArea,
      newAddress: dto.newAddress !== undefined ? dto.newAddress : t.newAddress,
      leftSupportNetwork: dto.leftSupportNetwork ?? t.leftSupportNetwork,
      supportNetworkNote: dto.supportNetworkNote !== undefined ? dto.supportNetworkNote : t.supportNetworkNote,
      householdConfirmed: dto.householdConfirmed ?? t.householdConfirmed,
      noMaleCarerReason: dto.noMaleCarerReason !== undefined ? dto.noMaleCarerReason : t.noMaleCarerReason,
    },
    members,
    concerns,
    appointments,
  };
}
