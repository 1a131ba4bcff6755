import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { TeamService } from '@fh/domain';
import { AreaEntity } from './area.entity.js';

@Entity('teams')
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'area_id', type: 'uuid' }) areaId!: string;
  @ManyToOne(() => AreaEntity) @JoinColumn({ name: 'area_id' }) area?: AreaEntity;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) service!: TeamService;
  @Column({ type: 'text' }) mailbox!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
