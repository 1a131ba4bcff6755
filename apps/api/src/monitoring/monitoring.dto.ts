import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const AREA_CODE = /^[a-z][a-z0-9-]{1,39}$/;

export class UnconfirmedQuery {
  @IsOptional() @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' }) area?: string;
  @IsOptional() @IsUUID() team?: string;
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class SummaryQuery {
  @IsOptional() @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' }) area?: string;
}
