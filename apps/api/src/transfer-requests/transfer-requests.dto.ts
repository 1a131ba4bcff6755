import { INVOLVEMENTS, MOVE_TYPES, TRANSFER_REQUEST_STATUSES } from '@fh/domain';
import type { Involvement, MoveType, TransferRequestStatus } from '@fh/domain';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLocalDate, IsNhsNumber, wholeNumber } from '../common/validators.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A child the request is about. Blank names are the domain's refusal (422 naming the child by position). */
export class RequestedChildDto {
  @Transform(trim) @IsString() @MaxLength(100) givenName!: string;
  @Transform(trim) @IsString() @MaxLength(100) familyName!: string;
  @IsOptional() @IsLocalDate() dateOfBirth?: string | null;
  @IsOptional() @IsNhsNumber() nhsNumber?: string | null;
}

export class CreateTransferRequestDto {
  @IsUUID() originatingTeamId!: string;
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RequestedChildDto)
  children!: RequestedChildDto[];
  @IsString() @MaxLength(2000) howKnown!: string;
  @IsString() @MaxLength(5000) concern!: string;
}

/**
 * The originating team's answer. `will_transfer` may say what the linked draft starts with
 * (involvement, moveDate, moveType); the originating side completes the rest, as for any draft.
 */
export class RespondToRequestDto {
  /** will_transfer | declined (checked by the domain: 422 with the reason). */
  @IsString() @MaxLength(30) decision!: string;
  @IsOptional() @IsString() @MaxLength(2000) reason?: string | null;
  @IsOptional() @IsIn(INVOLVEMENTS) involvement?: Involvement;
  @IsOptional() @IsLocalDate() moveDate?: string;
  @IsOptional() @IsIn(MOVE_TYPES) moveType?: MoveType;
}

export class ListTransferRequestsQuery {
  @IsOptional() @IsIn(['incoming', 'outgoing']) direction?: 'incoming' | 'outgoing';
  @IsOptional() @IsIn(TRANSFER_REQUEST_STATUSES) status?: TransferRequestStatus;
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
