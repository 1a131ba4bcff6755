import { AREA_CODE, PRACTITIONER_ROLES, TEAM_SERVICES } from '@fh/domain';
import type { PractitionerRole, TeamService } from '@fh/domain';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsPlainName, OptionalNotNull } from '../common/validators.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateAreaDto {
  /** Short lower-case code, e.g. `sandwell`. */
  @Matches(AREA_CODE, { message: 'code must be 2-40 lower-case letters, digits or hyphens, starting with a letter' })
  code!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainName()
  name!: string;
}

export class CreateTeamDto {
  @Matches(AREA_CODE, { message: 'areaCode must be an area code such as sandwell' })
  areaCode!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainName()
  name!: string;

  @IsIn(TEAM_SERVICES)
  service!: TeamService;

  /** The team's functional mailbox: notifications for the team go here. */
  @IsEmail()
  @MaxLength(320)
  mailbox!: string;
}

export class ListTeamsQuery {
  @IsOptional()
  @Matches(AREA_CODE, { message: 'area must be an area code such as sandwell' })
  area?: string;
}

export class CreatePractitionerDto {
  /** Required for every role except admin. */
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainName()
  name!: string;

  @IsEmail()
  @MaxLength(320)
  email!: string;

  @IsIn(PRACTITIONER_ROLES)
  role!: PractitionerRole;
}

export class ListPractitionersQuery {
  @IsOptional()
  @IsUUID()
  teamId?: string;
}

/** Fields left out keep their value; `null` is refused for active, role and name (teamId: null leaves an admin without a team). */
export class UpdatePractitionerDto {
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @OptionalNotNull()
  @IsIn(PRACTITIONER_ROLES)
  role?: PractitionerRole;

  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsPlainName()
  name?: string;

  @IsOptional()
  @IsUUID()
  teamId?: string;
}

export const PRACTITIONER_CHANGE_STATUSES = ['pending', 'approved', 'rejected'] as const;

export class ListPractitionerChangesQuery {
  @IsOptional()
  @IsIn(PRACTITIONER_CHANGE_STATUSES)
  status?: (typeof PRACTITIONER_CHANGE_STATUSES)[number];
}
