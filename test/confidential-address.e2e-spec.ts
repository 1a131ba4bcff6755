import { DataSource } from 'typeorm';
import { transferCipher } from '@fh/persistence';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { pdfText } from './support/pdf-text';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

/**
 * Issue 13 item 5: a confidential new address (a refuge) reaches only the practitioners named on the
 * transfer and both areas' safeguarding leads; everyone else who can see the transfer — here the
 * managers of both teams and, until named, the receiving team — is told whom to ask, in the resource,
 * lists, packet JSON and PDF; no email carries it; each reading of it is its own audit event.
 */
describe('a confidential new address', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let id: string;

  const REFUGE = { line1: '7 Vespertine Close', line2: 'Flat Ondine', town: 'Tipton Mardle', postcode: 'DY4 8XQ' };
  const SECRETS = ['Vespertine', 'Ondine', 'Mardle', 'DY4 8XQ', 'DY4'];

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  const sender = () => dir.birmingham.hv.practitioner;
  const receiver = () => dir.sandwell.hv.practitioner;
  const leaked = (value: unknown) => {
    const text = (typeof value === 'string' ? value : JSON.stringify(value)).toLowerCase();
    return SECRETS.filter((s) => text.includes(s.toLowerCase()));
  };
  const get = async (as: string) => {
    const response = await api.call('GET', `/v1/transfers/${id}`, { as });
    expect(response.status).toBe(200);
    return response.body;
  };
  const addressReads = async (actorId: string): Promise<number> =>
    Number(
      (
        await ds.query(
          `SELECT count(*) AS n FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.address_read' AND actor_id = $2`,
          [id, actorId],
        )
      )[0].n,
    );
  const pdfOf = async (as: string) => {
    const response = await fetch(`${api.baseUrl}/v1/transfers/${id}/packet.pdf`, {
      headers: { authorization: `Bearer ${await api.token(as)}` },
    });
    expect(response.status).toBe(200);
    return (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
  };

  it('is stored as sent and read back by the one who sent it, that reading audited', async () => {
    const created = await api.call('POST', '/v1/transfers', {
      as: sender().email,
      body: reviewFamily(dir.sandwell.hv.id, { newAddress: { ...REFUGE, confidential: true } }),
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect(created.body.newAddress).toEqual({ ...REFUGE, confidential: true });
    expect(await addressReads(sender().id)).toBe(1);
  });

  it('shows the sending team’s manager, who sees the transfer, only whom to ask — not audited as a reading', async () => {
    const manager = dir.birmingham.hv.manager;
    const view = await get(manager.email);
    expect(view.newAddress).toEqual({
      confidential: true,
      withheld: true,
      text: 'held confidentially — ask hv.worker',
      ask: { id: sender().id, name: 'hv.worker' },
    });
    expect(leaked(view)).toEqual([]);
    expect(view.household.length).toBeGreaterThan(0); // the rest of the family data is theirs to see
    expect(await addressReads(manager.id)).toBe(0);
  });

  it('once initiated: the receiving team sees only whom to ask; both areas’ leads read it, each reading audited', async () => {
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender().email })).status).toBe(200);
    expect(await addressReads(sender().id)).toBe(2); // the initiate response showed it again
    for (const outsider of [receiver(), dir.sandwell.hv.manager, dir.birmingham.hv.manager]) {
      const view = await get(outsider.email);
      expect(view.newAddress.text).toBe('held confidentially — ask hv.worker');
      expect(leaked(view)).toEqual([]);
      expect(await addressReads(outsider.id)).toBe(0);
    }
    for (const lead of [dir.birmingham.lead, dir.sandwell.lead]) {
      expect((await get(lead.email)).newAddress).toEqual({ ...REFUGE, confidential: true });
      expect((await get(lead.email)).newAddress.postcode).toBe('DY4 8XQ');
      expect(await addressReads(lead.id)).toBe(2);
    }
  });

  it('is in no list, for anyone', async () => {
    for (const as of [sender(), receiver(), dir.birmingham.hv.manager, dir.sandwell.hv.manager, dir.sandwell.lead]) {
      for (const query of ['', '?direction=incoming', '?direction=outgoing']) {
        const list = await api.call('GET', `/v1/transfers${query}`, { as: as.email });
        expect(list.status).toBe(200);
        expect(leaked(list.body)).toEqual([]);
      }
    }
  });

  it('is in no packet, JSON or PDF: every reader gets whom to ask', async () => {
    await waitFor(
      'packet version 1',
      async () => (await api.call('GET', `/v1/transfers/${id}/packet`, { as: sender().email })).status === 200,
    );
    for (const as of [sender(), dir.sandwell.lead, receiver(), dir.sandwell.hv.manager]) {
      const packet = await api.call('GET', `/v1/transfers/${id}/packet`, { as: as.email });
      expect(packet.body.transfer.move).toEqual(
        expect.objectContaining({ newAddress: 'held confidentially — ask hv.worker', addressConfidential: true }),
      );
      expect(leaked(packet.body)).toEqual([]);
      const pdf = await pdfOf(as.email);
      expect(pdf).toContain('to an address held confidentially — ask hv.worker');
      expect(leaked(pdf)).toEqual([]);
    }
    // Stored sealed: the plain document is what must hold no trace (ciphertext may spell "DY4" by chance).
    const stored = await ds.query(`SELECT document FROM packets WHERE transfer_id = $1`, [id]);
    expect(stored.length).toBeGreaterThan(0);
    const cipher = await transferCipher(ds.manager, id);
    for (const row of stored) {
      const document = cipher.open('packets.document', row.document);
      expect(document).toContain('held confidentially');
      expect(leaked(document)).toEqual([]);
    }
  }, 30_000);

  it('reaches the two people in the direct conversation and the receiving lead, as each is named', async () => {
    const flags = (await get(receiver().email)).riskFlags;
    const contact = await api.call('POST', `/v1/transfers/${id}/direct-contact`, {
      as: receiver().email,
      body: {
        occurredAt: new Date().toISOString(),
        method: 'phone',
        sendingPractitionerId: sender().id,
        summary: 'Talked through the refuge arrangements and the flags',
        flagAcknowledgements: flags.map((f: { code: string }) => ({ code: f.code, understanding: 'understood' })),
      },
    });
    expect(contact.status).toBe(200);
    // The recorder is now in the conversation: the response names it, and is a reading of it.
    expect(contact.body.newAddress).toEqual({ ...REFUGE, confidential: true });
    expect(await addressReads(receiver().id)).toBe(1);
    expect((await get(receiver().email)).newAddress.line1).toBe(REFUGE.line1);
    expect(await addressReads(receiver().id)).toBe(2);

    expect(
      (
        await api.call('POST', `/v1/transfers/${id}/direct-contact/confirm`, {
          as: sender().email,
          body: { agree: true },
        })
      ).status,
    ).toBe(200);
    for (const flag of flags.filter((f: { severity: string }) => f.severity === 'critical')) {
      const ack = await api.call('POST', `/v1/transfers/${id}/flags/${flag.code}/acknowledge`, {
        as: dir.sandwell.lead.email,
        body: { advice: 'Strategy discussion today' },
      });
      expect(ack.status).toBe(200);
    }
    // The receiving manager sees whom to ask until they are named the receiving lead.
    const receivingManager = dir.sandwell.hv.manager;
    expect((await get(receivingManager.email)).newAddress.withheld).toBe(true);
    const accepted = await api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver().email,
      body: { leadPractitionerId: receivingManager.id },
    });
    expect(accepted.status).toBe(200);
    expect((await get(receivingManager.email)).newAddress).toEqual({ ...REFUGE, confidential: true });
    expect(await addressReads(receivingManager.id)).toBe(1);
    // The sending manager is now told to ask the receiving lead, who is accountable.
    const view = await get(dir.birmingham.hv.manager.email);
    expect(view.newAddress.text).toBe('held confidentially — ask hv.manager');
    expect(leaked(view)).toEqual([]);
    expect(await addressReads(dir.birmingham.hv.manager.id)).toBe(0);
  }, 30_000);

  it('reaches nobody by email', async () => {
    await waitFor('every email of the transfer', async () =>
      (await ds.query(`SELECT status FROM emails WHERE transfer_id = $1`, [id])).every(
        (e: { status: string }) => e.status !== 'queued',
      ),
    );
    expect(smtp.messages.length).toBeGreaterThan(3);
    for (const message of smtp.messages)
      expect({ subject: message.subject, leaked: leaked(message.raw) }).toEqual({
        subject: message.subject,
        leaked: [],
      });
  }, 30_000);

  it('can be made confidential by PATCH, and then hides it from the draft’s other readers', async () => {
    const created = await api.call('POST', '/v1/transfers', {
      as: sender().email,
      body: reviewFamily(dir.sandwell.hv.id, { newAddress: REFUGE }),
    });
    expect(created.status).toBe(201);
    const draft = created.body.id;
    const managerView = async () =>
      (await api.call('GET', `/v1/transfers/${draft}`, { as: dir.birmingham.hv.manager.email })).body.newAddress;
    expect(await managerView()).toEqual(REFUGE); // not confidential: as before
    const patched = await api.call('PATCH', `/v1/transfers/${draft}`, {
      as: sender().email,
      body: { newAddress: { ...REFUGE, confidential: true } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.newAddress.confidential).toBe(true);
    expect(await managerView()).toEqual(expect.objectContaining({ withheld: true }));
    const bad = await api.call('PATCH', `/v1/transfers/${draft}`, {
      as: sender().email,
      body: { newAddress: { ...REFUGE, confidential: 'yes' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
