import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SignedInPractitioner } from './actor.js';

/** Maps a verified email to the practitioner the directory holds now (active or not). */
@Injectable()
export class DirectoryLookup {
  constructor(private readonly dataSource: DataSource) {}

  async byEmail(email: string): Promise<(SignedInPractitioner & { active: boolean }) | null> {
    const rows: (SignedInPractitioner & { active: boolean })[] = await this.dataSource.query(
      `SELECT p.id, p.email, p.name, p.role, p.team_id AS "teamId", t.area_id AS "areaId", p.active
       FROM practitioners p LEFT JOIN teams t ON t.id = p.team_id
       WHERE lower(p.email) = $1`,
      [email.toLowerCase()],
    );
    return rows[0] ?? null;
  }
}
