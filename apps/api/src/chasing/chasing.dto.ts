import { APPOINTMENT_OUTCOMES, ODS_CODE } from '@fh/domain';
import type { AppointmentOutcomeStatus } from '@fh/domain';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsLocalDate, ODS_MESSAGE } from '../common/validators.js';

/**
 * Evidence fields are optional here (which ones an item needs depends on the item: a missing one is
 * a 422 from the chasing rules), but a field that is given must have the right shape (400).
 */
export class ChaseEvidenceDto {
  /** GP registration: the practice's ODS code, e.g. M88006. */
  @IsOptional() @Matches(ODS_CODE, { message: ODS_MESSAGE }) practiceOds?: string;
  @IsOptional() @IsString() @MaxLength(200) practiceName?: string;
  @IsOptional() @IsLocalDate() registeredOn?: string;
  /** Appointment: the date the child attended. */
  @IsOptional() @IsLocalDate() attendedOn?: string;
  /** Agreed action: how it was completed. */
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
  /** Transfer-in conference: the date it was held. */
  @IsOptional() @IsLocalDate() heldOn?: string;
  /** Move review answered still_temporary: when to ask again (after today). */
  @IsOptional() @IsLocalDate() nextReviewOn?: string;
}

export class CloseChaseItemDto {
  @IsIn(['registered', 'attended', 'completed', 'held', 'still_temporary', 'now_permanent', 'no_longer_required'])
  resolution!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ChaseEvidenceDto) evidence?: ChaseEvidenceDto;
  /** Managers closing an item as no longer required say why. */
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class AppointmentOutcomeDto {
  @IsIn(APPOINTMENT_OUTCOMES) status!: AppointmentOutcomeStatus;
  @IsOptional() @IsLocalDate() attendedOn?: string;
  /** Not brought, no access, cancelled by the carer: the rebooked date, if there is one. */
  @IsOptional() @IsLocalDate() rebookedFor?: string;
  /** Rescheduled: the new date (required for that outcome; a 422 from the domain when missing). */
  @IsOptional() @IsLocalDate() rescheduledFor?: string;
}
