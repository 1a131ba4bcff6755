import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

export class ChaseEvidenceDto {
  /** GP registration: the practice's ODS code, e.g. M88006. */
  @IsOptional() @IsString() @MaxLength(10) practiceOds?: string;
  @IsOptional() @IsString() @MaxLength(200) practiceName?: string;
  @IsOptional() @IsString() @MaxLength(10) registeredOn?: string;
  /** Appointment: the date the child attended. */
  @IsOptional() @IsString() @MaxLength(10) attendedOn?: string;
  /** Agreed action: how it was completed. */
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
  /** Transfer-in conference: the date it was held. */
  @IsOptional() @IsString() @MaxLength(10) heldOn?: string;
}

export class CloseChaseItemDto {
  @IsIn(['registered', 'attended', 'completed', 'held', 'no_longer_required']) resolution!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ChaseEvidenceDto) evidence?: ChaseEvidenceDto;
  /** Managers closing an item as no longer required say why. */
  @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class AppointmentOutcomeDto {
  @IsIn(['attended', 'was_not_brought']) status!: 'attended' | 'was_not_brought';
  @IsOptional() @IsString() @MaxLength(10) attendedOn?: string;
  @IsOptional() @IsString() @MaxLength(10) rebookedFor?: string;
}
