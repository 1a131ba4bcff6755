import { AREA_CODE } from '@fh/domain';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { wholeNumber } from '../common/validators.js';

export class UnconfirmedQuery {
  @IsOptional() @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' }) area?: string;
  @IsOptional() @IsUUID() team?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

/** GET /v1/monitoring/children-not-seen (issue 14 item 1). */
export class ChildrenNotSeenQuery {
  @IsOptional() @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' }) area?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
}

export class SummaryQuery {
  @IsOptional() @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' }) area?: string;
}
