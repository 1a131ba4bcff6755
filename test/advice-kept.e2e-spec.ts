import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { approved, seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { pdfText } from './support/pdf-text';
import { waitFor } from './support/wait';

/**
 * Issue 12 item 2: advice is never overwritten. Two safeguarding leads acknowledge the same critical
 * flag; both advices stay — in the transfer resource, in the newest packet (JSON and PDF), which a
 * new version carries — and the first lead's is not replaced by the second's.
 */
describe('every safeguarding lead’s advice is kept', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let second: { id: string; email: string };
  let id: string;
  const FLAG = 'NON_MOBILE_INFANT_BRUISING';
  const FIRST = 'Child protection medical today at the hospital';
  const LATER = 'Strategy discussion with MASH before any visit';

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    const made = await approved(api, 'POST', '/v1/practitioners', {
      teamId: dir.sandwell.csc.id,
      name: 'Rosalind Okonkwo',
      email: 'second.lead@sandwell.test',
      role: 'safeguarding_lead',
    });
    expect(made.status).toBe(201);
    second = made.body;
    const sender = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);
    await waitFor('packet version 1', async () => (await latestPacket()).status === 200);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const latestPacket = () => api.call('GET', `/v1/transfers/${id}/packet`, { as: dir.sandwell.hv.practitioner.email });
  const acknowledge = (as: string, advice: string) =>
    api.call('POST', `/v1/transfers/${id}/flags/${FLAG}/acknowledge`, { as, body: { advice } });

  it('shows both leads’ advice on the flag, oldest first, the newest as its acknowledgement', async () => {
    expect((await acknowledge(dir.sandwell.lead.email, FIRST)).status).toBe(200);
    const again = await acknowledge(second.email, LATER);
    expect(again.status).toBe(200);

    const read = await api.call('GET', `/v1/transfers/${id}`, { as: dir.sandwell.hv.practitioner.email });
    expect(read.status).toBe(200);
    for (const body of [again.body, read.body]) {
      const flag = body.riskFlags.find((f: { code: string }) => f.code === FLAG);
      expect(flag.safeguardingAcknowledgements).toEqual([
        {
          advice: FIRST,
          // the bruising protocol's record is complete in the review family: nothing to address (issue 14 item 4)
          actions: [],
          acknowledgedById: dir.sandwell.lead.id,
          acknowledgedByName: 'lead',
          acknowledgedAt: expect.any(String),
        },
        {
          advice: LATER,
          actions: [],
          acknowledgedById: second.id,
          acknowledgedByName: 'Rosalind Okonkwo',
          acknowledgedAt: expect.any(String),
        },
      ]);
      expect(flag.safeguardingAcknowledgement).toEqual({
        advice: LATER,
        actions: [],
        acknowledgedById: second.id,
        acknowledgedAt: flag.safeguardingAcknowledgements[1].acknowledgedAt,
      });
      const other = body.riskFlags.find((f: { code: string }) => f.code === 'SAFEGUARDING_ADVICE_NOT_SOUGHT');
      expect(other.safeguardingAcknowledgements).toEqual([]);
      expect(other.safeguardingAcknowledgement).toBeNull();
    }
  });

  it('generates a new packet version carrying both advices, in its JSON and its PDF', async () => {
    await waitFor('a packet with both advices', async () => {
      const packet = (await latestPacket()).body;
      const flag = packet.riskFlags?.find((f: { code: string }) => f.code === FLAG);
      return flag?.safeguardingAdvice?.length === 2;
    });
    const packet = (await latestPacket()).body;
    // Version 1 at initiation; each acknowledgement is a new version (jobs for one transfer may coalesce).
    expect(packet.version).toBeGreaterThan(1);
    const flag = packet.riskFlags.find((f: { code: string }) => f.code === FLAG);
    expect(flag.safeguardingAdvice).toEqual([
      { name: 'lead', acknowledgedAt: expect.any(String), advice: FIRST },
      { name: 'Rosalind Okonkwo', acknowledgedAt: expect.any(String), advice: LATER },
    ]);
    expect(flag.safeguardingLead).toEqual(flag.safeguardingAdvice[1]);

    const response = await fetch(`${api.baseUrl}/v1/transfers/${id}/packet.pdf`, {
      headers: { authorization: `Bearer ${await api.token(dir.sandwell.hv.practitioner.email)}` },
    });
    expect(response.status).toBe(200);
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    expect(text).toContain(`Advice: ${FIRST}`);
    expect(text).toContain(`Advice: ${LATER}`);
    expect(text.indexOf(`Advice: ${FIRST}`)).toBeLessThan(text.indexOf(`Advice: ${LATER}`));
    expect(text).toContain('Safeguarding lead Rosalind Okonkwo acknowledged this');
  });
});
