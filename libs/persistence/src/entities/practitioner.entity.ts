import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { PractitionerRole } from '@fh/domain';
import { TeamEntity } from './team.entity.js';

@Entity('practitioners')
export class PractitionerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'team_id', type: 'uuid', nullable: true }) teamId!: string | null;
  @ManyToOne(() => TeamEntity) @JoinColumn({ name: 'team_id' }) team?: TeamEntity | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'text' }) role!: PractitionerRole;
  @Column({ type: 'boolean' }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
