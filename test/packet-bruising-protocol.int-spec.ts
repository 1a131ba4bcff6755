import { randomUUID } from 'node:crypto';
import { SystemClock } from '@fh/domain';
import { createDataSource, readPacket } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { PacketGenerator } from '../apps/worker/src/packets/packet-generator.service';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { pdfPages } from './support/pdf-text';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * The packet the worker makes from what the API stored (issue 14 item 4): the bruising protocol's
 * record under the concern, what is missing on the flag, and what the lead said was done about each
 * missing item — opened from the sealed columns, in the JSON document and in the PDF.
 */
describe('packet: the bruising protocol, from the database', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  let generator: PacketGenerator;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    ds = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 2 });
    await ds.initialize();
    generator = new PacketGenerator(ds, new SystemClock());
  });
  afterAll(async () => {
    await ds?.destroy();
    await api?.close();
  });

  it('shows the record, what is missing and what was done about it', async () => {
    const sender = dir.birmingham.hv.practitioner.email;
    const family = reviewFamily(dir.sandwell.hv.id);
    const created = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: {
        ...family,
        concerns: [
          {
            memberRef: 'baby',
            type: 'possible_bruise',
            observedOn: daysAgo(3),
            description: 'a mark behind the left ear',
            safeguardingAdviceSought: true,
            healthAssessment: { by: 'Dr Ottoline Marchbanks', on: daysAgo(2) },
            parentsExplanation: 'she rolled against the cot bars',
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);
    const acknowledged = await api.call('POST', `/v1/transfers/${id}/flags/NON_MOBILE_INFANT_BRUISING/acknowledge`, {
      as: dir.sandwell.lead.email,
      body: {
        advice: 'Seen today',
        actions: [
          { item: 'referral', action: 'Referred to Sandwell MASH by phone' },
          { item: 'multi_agency_discussion', action: 'Strategy discussion tomorrow at 10am' },
        ],
      },
    });
    expect(acknowledged.status).toBe(200);

    expect(await generator.generate(id, randomUUID())).toEqual(expect.objectContaining({ outcome: 'created' }));
    const latest = (await ds.query(`SELECT max(version)::int AS v FROM packets WHERE transfer_id = $1`, [id]))[0].v;
    const document = JSON.parse((await readPacket(ds.manager, id, latest, 'json'))!.body as string);

    const concern = document.sections.find((s: { key: string }) => s.key === 'concerns').concerns[0];
    expect(concern.bruisingProtocol.missing).toEqual(['referral', 'multi_agency_discussion']);
    expect(concern.bruisingProtocol.items.map((i: { text: string }) => i.text)).toEqual([
      expect.stringMatching(/^Health assessment: by Dr Ottoline Marchbanks, on /),
      'Referral to children’s social care or MASH: NOT RECORDED',
      'Multi-agency discussion: NOT RECORDED',
      'Parents’ explanation, in their words: “she rolled against the cot bars”',
    ]);
    const flag = document.riskFlags.find((f: { code: string }) => f.code === 'NON_MOBILE_INFANT_BRUISING');
    expect(flag.protocol.missing.map((m: { item: string }) => m.item)).toEqual(['referral', 'multi_agency_discussion']);
    expect(flag.safeguardingLead.actions.map((a: { action: string }) => a.action)).toEqual([
      'Referred to Sandwell MASH by phone',
      'Strategy discussion tomorrow at 10am',
    ]);

    const pdf = (await readPacket(ds.manager, id, latest, 'pdf'))!.body as Buffer;
    const text = (await pdfPages(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(
      'Bruising protocol still missing: referral to children’s social care or MASH; multi-agency discussion.',
    );
    expect(text).toContain('Parents’ explanation, in their words: “she rolled against the cot bars”');
    expect(text).toContain('Referral to children’s social care or MASH — Referred to Sandwell MASH by phone');
  });
});
