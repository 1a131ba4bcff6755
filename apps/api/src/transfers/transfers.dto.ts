import {
  SHARING_BASES,
  APPOINTMENT_STATUSES,
  BRUISING_PROTOCOL_ITEMS,
  CONCERN_TYPES,
  GP_STATUSES,
  INVOLVEMENTS,
  MEMBER_ROLES,
  MOBILITIES,
  MOVE_TYPES,
  NOT_REACHED_METHODS,
  ODS_CODE,
  RISK_FACTORS,
  RISK_FLAG_CODES,
  SEXES,
  SHORT_STAY_RECORD_AS,
  STATUTORY_ORDERS,
  TRANSFER_STATUSES,
} from '@fh/domain';
import type {
  AppointmentStatus,
  BruisingProtocolItem,
  ConcernType,
  GpStatus,
  Involvement,
  MemberRole,
  Mobility,
  MoveType,
  NotReachedMethod,
  RiskFactor,
  Sex,
  ShortStayRecordAs,
  StatutoryOrder,
  TransferStatus,
} from '@fh/domain';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IsInstant,
  IsLocalDate,
  IsNhsNumber,
  ODS_MESSAGE,
  OptionalNotNull,
  wholeNumber,
} from '../common/validators.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AddressDto {
  @IsString() @IsNotEmpty() @MaxLength(200) line1!: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string | null;
  @IsString() @IsNotEmpty() @MaxLength(100) town!: string;
  @IsString()
  @Matches(/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/, { message: '$property must be a UK postcode' })
  postcode!: string;
  /**
   * Issue 13 item 5: true keeps the address from everyone but the practitioners named on the transfer
   * and both areas' safeguarding leads; the rest are told whom to ask.
   */
  @IsOptional() @IsBoolean() confidential?: boolean;
}

export class GpDto {
  @IsIn(GP_STATUSES) status!: GpStatus;
  @IsOptional() @Matches(ODS_CODE, { message: ODS_MESSAGE }) practiceOds?: string | null;
  @IsOptional() @IsString() @MaxLength(200) practiceName?: string | null;
}

export class InvolvementDto {
  /** e.g. probation, crc, police, adult_social_care, substance_misuse_service. */
  @IsString() @IsNotEmpty() @MaxLength(100) agency!: string;
  @IsOptional() @IsString() @MaxLength(100) area?: string | null;
  @IsOptional() @IsString() @MaxLength(1000) detail?: string | null;
}

export class MemberDto {
  /** Client-side key, unique within the request; concerns and appointments point at it. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,50}$/, { message: 'ref must be 1-50 letters, digits, dots, dashes or underscores' })
  ref!: string;
  @IsOptional() @IsIn(MEMBER_ROLES) role?: MemberRole | null;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) givenName!: string;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) familyName!: string;
  @IsOptional() @IsLocalDate() dateOfBirth?: string | null;
  @OptionalNotNull() @IsIn(SEXES) sex?: Sex;
  @IsOptional() @IsNhsNumber() nhsNumber?: string | null;
  @OptionalNotNull() @IsBoolean() livesInHousehold?: boolean;
  @IsOptional() @IsIn(MOBILITIES) mobility?: Mobility | null;
  /** Children of any age: not independently mobile (disabled or developmentally delayed; issue 14 item 4). */
  @IsOptional() @IsBoolean() notIndependentlyMobile?: boolean | null;
  @IsOptional() @IsBoolean() engaged?: boolean | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => GpDto) gp?: GpDto | null;
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => InvolvementDto)
  involvements?: InvolvementDto[];
  @OptionalNotNull() @IsArray() @ArrayMaxSize(10) @IsIn(RISK_FACTORS, { each: true }) riskFactors?: RiskFactor[];
  /** Children: a statutory order they are subject to; any makes the transfer a host notification. */
  @IsOptional() @IsIn(STATUTORY_ORDERS) statutoryOrder?: StatutoryOrder | null;
}

/** A temporary stay under the short-stay threshold: recorded as a host notification or a transfer, and why. */
export class ShortStayChoiceDto {
  @IsIn(SHORT_STAY_RECORD_AS) recordAs!: ShortStayRecordAs;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

/**
 * The lawful basis for sharing (issue 13 item 4): the family's consent (who gave it, when), or
 * safeguarding without consent (why, and the sending-team manager who approved it). A field of the
 * other basis is a 400 (transfer-input.mapper.ts).
 */
export class SharingBasisDto {
  @IsIn(SHARING_BASES) basis!: (typeof SHARING_BASES)[number];
  @ValidateIf((o: SharingBasisDto) => o.basis === 'consent')
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  givenBy?: string;
  @ValidateIf((o: SharingBasisDto) => o.basis === 'consent') @IsLocalDate() givenOn?: string;
  @ValidateIf((o: SharingBasisDto) => o.basis === 'safeguarding_without_consent')
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  rationale?: string;
  @ValidateIf((o: SharingBasisDto) => o.basis === 'safeguarding_without_consent') @IsUUID() approvedById?: string;
}

/** Whether the family was told of the transfer: the date, or why not — one of the two (issue 13 item 4). */
export class FamilyInformedDto {
  @ValidateIf((o: FamilyInformedDto) => o.on !== undefined || o.notInformedReason === undefined)
  @IsLocalDate()
  on?: string;
  @ValidateIf((o: FamilyInformedDto) => o.notInformedReason !== undefined || o.on === undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  notInformedReason?: string;
}

/** The bruising protocol (issue 14 item 4): the health assessment, by whom and when. */
export class HealthAssessmentDto {
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) by!: string;
  @IsLocalDate() on!: string;
}

/** The referral to children's social care or MASH: when, and its reference. */
export class ReferralDto {
  @IsLocalDate() on!: string;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
}

/** The multi-agency discussion: when, and its outcome. */
export class MultiAgencyDiscussionDto {
  @IsLocalDate() on!: string;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(2000) outcome!: string;
}

export class ConcernDto {
  @IsString() @IsNotEmpty() @MaxLength(50) memberRef!: string;
  @IsIn(CONCERN_TYPES) type!: ConcernType;
  @IsLocalDate() observedOn!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @IsOptional() @IsBoolean() safeguardingAdviceSought?: boolean | null;
  /** Bruises and injuries only (bruising, possible_bruise, injury): the bruising protocol's record. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HealthAssessmentDto)
  healthAssessment?: HealthAssessmentDto | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ReferralDto) referral?: ReferralDto | null;
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MultiAgencyDiscussionDto)
  multiAgencyDiscussion?: MultiAgencyDiscussionDto | null;
  /** The parents' explanation, in their words. */
  @IsOptional() @Transform(trim) @IsString() @MaxLength(4000) parentsExplanation?: string | null;
}

export class AppointmentDto {
  @IsString() @IsNotEmpty() @MaxLength(50) memberRef!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) kind!: string;
  @IsOptional() @IsString() @MaxLength(200) provider?: string | null;
  @IsLocalDate() dueOn!: string;
  @IsIn(APPOINTMENT_STATUSES) status!: AppointmentStatus;
}

/** The fields a draft may carry; `PATCH` takes any of them, `POST` needs the first four. */
class TransferFieldsDto {
  @IsOptional() @IsString() @MaxLength(2000) reason?: string | null;
  @IsOptional() @IsString() @MaxLength(100) previousAddressArea?: string | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AddressDto) newAddress?: AddressDto | null;
  @OptionalNotNull() @IsBoolean() leftSupportNetwork?: boolean;
  @IsOptional() @IsString() @MaxLength(1000) supportNetworkNote?: string | null;
  @OptionalNotNull() @IsBoolean() householdConfirmed?: boolean;
  @IsOptional() @IsString() @MaxLength(1000) noMaleCarerReason?: string | null;
  /** Temporary moves: when the stay is expected to end, and/or when to review it. */
  @IsOptional() @IsLocalDate() expectedUntil?: string | null;
  @IsOptional() @IsLocalDate() reviewOn?: string | null;
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShortStayChoiceDto)
  shortStayChoice?: ShortStayChoiceDto | null;
  /** Issue 13 item 4: both required to send the transfer; null clears. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SharingBasisDto) sharingBasis?: SharingBasisDto | null;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => FamilyInformedDto) familyInformed?: FamilyInformedDto | null;
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  household?: MemberDto[];
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ConcernDto)
  concerns?: ConcernDto[];
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AppointmentDto)
  appointments?: AppointmentDto[];
}

export class CreateTransferDto extends TransferFieldsDto {
  @IsUUID() receivingTeamId!: string;
  @IsIn(INVOLVEMENTS) involvement!: Involvement;
  @IsLocalDate() moveDate!: string;
  @IsIn(MOVE_TYPES) moveType!: MoveType;
}

export class UpdateTransferDto extends TransferFieldsDto {
  @OptionalNotNull() @IsUUID() receivingTeamId?: string;
  @OptionalNotNull() @IsIn(INVOLVEMENTS) involvement?: Involvement;
  @OptionalNotNull() @IsLocalDate() moveDate?: string;
  @OptionalNotNull() @IsIn(MOVE_TYPES) moveType?: MoveType;
}

export class ListTransfersQuery {
  @IsOptional() @IsIn(['incoming', 'outgoing']) direction?: 'incoming' | 'outgoing';
  @IsOptional() @IsIn(TRANSFER_STATUSES) status?: TransferStatus;
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class FlagAcknowledgementDto {
  @IsIn(RISK_FLAG_CODES) code!: string;
  @IsString() @MaxLength(2000) understanding!: string;
}

export class AgreedActionDto {
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) description!: string;
  @IsIn(['sending', 'receiving']) owner!: 'sending' | 'receiving';
  @IsLocalDate() dueOn!: string;
  @IsOptional() @IsLocalDate() reviewOn?: string | null;
}

export class DirectContactDto {
  @IsInstant() occurredAt!: string;
  /** Checked by the lifecycle: only a conversation (phone, video, in_person, meeting) counts. */
  @IsString() @MaxLength(30) method!: string;
  @IsUUID() sendingPractitionerId!: string;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(5000) summary!: string;
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FlagAcknowledgementDto)
  flagAcknowledgements!: FlagAcknowledgementDto[];
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AgreedActionDto)
  agreedActions?: AgreedActionDto[];
}

export class ConfirmContactDto {
  @IsBoolean() agree!: boolean;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

/** What a safeguarding lead says was done about one missing item of the bruising protocol. */
export class ProtocolActionDto {
  @IsIn(BRUISING_PROTOCOL_ITEMS) item!: BruisingProtocolItem;
  @IsString() @MaxLength(2000) action!: string;
}

export class AcknowledgeFlagDto {
  @IsString() @MaxLength(2000) advice!: string;
  /**
   * NON_MOBILE_INFANT_BRUISING while the bruising protocol is incomplete: one entry per missing item
   * (the flag's `missing`), saying what was done about it (issue 14 item 4). Checked by the lifecycle.
   */
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(BRUISING_PROTOCOL_ITEMS.length * 2)
  @ValidateNested({ each: true })
  @Type(() => ProtocolActionDto)
  actions?: ProtocolActionDto[];
}

export class AcceptTransferDto {
  @IsUUID() leadPractitionerId!: string;
}

export class AcknowledgeNotificationDto {
  /** The host (receiving) team's contact for the child. */
  @IsUUID() contactPractitionerId!: string;
}

/** Child protection: the receiving area's transfer-in conference. Its rules are the lifecycle's (422 with reasons). */
export class RecordConferenceDto {
  @IsString() @MaxLength(10) heldOn!: string;
  /** plan_continues | plan_not_continued (checked by the lifecycle). */
  @IsString() @MaxLength(30) outcome!: string;
  @IsString() @MaxLength(200) chair!: string;
  @IsOptional() @IsString() @MaxLength(5000) notes?: string | null;
}

/** Child protection: the sending side has the conference's written outcome. */
export class ConfirmConferenceDto {
  @IsString() @MaxLength(10) receivedOn!: string;
}

/**
 * The child seen (issue 14 item 1): POST /v1/transfers/:id/children/:memberId/seen. Shapes are
 * checked here (400); the rules — a child of this transfer, seenOn not in the future nor before the
 * move, seenById in the receiving team, where one of home|clinic|school|other — are the lifecycle's
 * (422 with reasons).
 */
export class RecordChildSeenDto {
  @IsString() @MaxLength(10) seenOn!: string;
  @IsUUID() seenById!: string;
  /** home | clinic | school | other (checked by the lifecycle). */
  @IsString() @MaxLength(20) where!: string;
  @IsBoolean() seenAlone!: boolean;
  /** Free text, sealed under the transfer's key. */
  @IsOptional() @IsString() @MaxLength(5000) note?: string | null;
}

export class ReasonDto {
  @IsString() @MaxLength(2000) reason!: string;
}

export class ReassignDto {
  @IsUUID() practitionerId!: string;
}

/** The family not reached (issue 14 item 2): one failed attempt to reach the family. */
export class NotReachedAttemptDto {
  /** YYYY-MM-DD, not in the future (the lifecycle: 422). */
  @IsLocalDate() on!: string;
  @IsIn(NOT_REACHED_METHODS) method!: NotReachedMethod;
  /** Required for `other` (the lifecycle: 422). Family data: stored sealed. */
  @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

export class FamilyNotReachedDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NotReachedAttemptDto)
  attempts!: NotReachedAttemptDto[];
}

/** A locate check closed with what was found (the education setting: whether the pupil file moved). */
export class CloseLocateCheckDto {
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(4000) found!: string;
  @IsOptional() @IsBoolean() pupilFileMoved?: boolean;
}

/** A safeguarding lead's national alert decision: raised, with its reference, or not, with the reason. */
export class NationalAlertDto {
  @IsBoolean() raised!: boolean;
  @ValidateIf((o: NationalAlertDto) => o.raised === true)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference?: string;
  @ValidateIf((o: NationalAlertDto) => o.raised === false)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason?: string;
}

/** The family found: when (YYYY-MM-DD) and how. */
export class FamilyFoundDto {
  @IsLocalDate() on!: string;
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(4000) how!: string;
}
