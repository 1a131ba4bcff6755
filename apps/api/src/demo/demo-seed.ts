import { appendAudit, inTransaction, seedArea, seedPractitioner, seedTeam } from '@fh/persistence';
import type { PractitionerRole, TeamService } from '@fh/domain';
import { DataSource } from 'typeorm';

/** The demo directory: Birmingham and Sandwell, each with a social care and a health-visiting team. */
export const DEMO_DIRECTORY: {
  code: string;
  name: string;
  teams: {
    key: string;
    name: string;
    service: TeamService;
    mailbox: string;
    people: { name: string; email: string; role: PractitionerRole }[];
  }[];
}[] = [
  {
    code: 'birmingham',
    name: 'Birmingham',
    teams: [
      {
        key: 'birmingham-csc',
        name: 'Birmingham Children’s Social Care (North)',
        service: 'childrens_social_care',
        mailbox: 'csc-north@birmingham.demo',
        people: [
          { name: 'Sam Okafor', email: 'sam.okafor@birmingham.demo', role: 'practitioner' },
          { name: 'Maya Patel', email: 'maya.patel@birmingham.demo', role: 'manager' },
          { name: 'Lee Barnes', email: 'lee.barnes@birmingham.demo', role: 'safeguarding_lead' },
        ],
      },
      {
        key: 'birmingham-hv',
        name: 'Birmingham Health Visiting (Erdington)',
        service: 'health_visiting',
        mailbox: 'hv-erdington@birmingham.demo',
        people: [
          { name: 'Hana Begum', email: 'hana.begum@birmingham.demo', role: 'practitioner' },
          { name: 'Grace Mensah', email: 'grace.mensah@birmingham.demo', role: 'manager' },
        ],
      },
    ],
  },
  {
    code: 'sandwell',
    name: 'Sandwell',
    teams: [
      {
        key: 'sandwell-csc',
        name: 'Sandwell Children’s Social Care (West Bromwich)',
        service: 'childrens_social_care',
        mailbox: 'csc-wb@sandwell.demo',
        people: [
          { name: 'Sol Reyes', email: 'sol.reyes@sandwell.demo', role: 'practitioner' },
          { name: 'Mo Clarke', email: 'mo.clarke@sandwell.demo', role: 'manager' },
          { name: 'Lena Novak', email: 'lena.novak@sandwell.demo', role: 'safeguarding_lead' },
        ],
      },
      {
        key: 'sandwell-hv',
        name: 'Sandwell Health Visiting (Oldbury)',
        service: 'health_visiting',
        mailbox: 'hv-oldbury@sandwell.demo',
        people: [
          { name: 'Harriet Shaw', email: 'harriet.shaw@sandwell.demo', role: 'practitioner' },
          { name: 'Nadia Hussain', email: 'nadia.hussain@sandwell.demo', role: 'manager' },
        ],
      },
    ],
  },
];

export interface DemoPerson {
  name: string;
  email: string;
  role: PractitionerRole;
  area: string;
  team: string;
}

/** Creates the demo directory if it is not there yet. Safe to run again. */
export async function seedDemoDirectory(dataSource: DataSource): Promise<DemoPerson[]> {
  return inTransaction(dataSource, async (manager) => {
    const people: DemoPerson[] = [];
    for (const area of DEMO_DIRECTORY) {
      const areaId = await seedArea(manager, area);
      for (const team of area.teams) {
        const teamId = await seedTeam(manager, areaId, team);
        for (const person of team.people) {
          await seedPractitioner(manager, teamId, person);
          people.push({ ...person, area: area.code, team: team.name });
        }
      }
    }
    await appendAudit(manager, {
      actorId: null,
      action: 'demo.seed_directory',
      entityType: 'directory',
      entityId: null,
      outcome: 'succeeded',
      requestId: null,
    });
    return people;
  });
}
