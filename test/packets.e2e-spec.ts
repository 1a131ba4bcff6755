import { canonicalJson, sha256Hex } from '@fh/packet';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { pdfText } from './support/pdf-text';
import { waitFor } from './support/wait';

describe('handover packet endpoints', () => {
  let api: RunningApi;
  let worker: RunningWorker | null = null;
  let dir: SeededDirectory;
  let ds: DataSource;
  let id: string;
  let reference: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
    const created = await api.call('POST', '/v1/transfers', {
      as: dir.birmingham.hv.practitioner.email,
      body: reviewFamily(dir.sandwell.hv.id),
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    reference = created.body.reference;
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  const receiver = () => dir.sandwell.hv.practitioner.email;
  const paths = () => [`/v1/transfers/${id}/packet`, `/v1/transfers/${id}/packet.pdf`, `/v1/transfers/${id}/packets/1`];
  const pdfOf = async (as: string, path = `/v1/transfers/${id}/packet.pdf`) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${await api.token(as)}` },
    });
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const auditOf = async (action: string, actorId?: string) =>
    ds.query(
      `SELECT a.outcome, a.reason_code AS "reasonCode", a.entity_type AS "entityType", a.entity_id AS "entityId", a.details
       FROM audit_events a WHERE a.transfer_id = $1 AND a.action = $2 AND ($3::uuid IS NULL OR a.actor_id = $3) ORDER BY a.id`,
      [id, action, actorId ?? null],
    );

  it('answers 404 to both sides before initiation, exactly as for a transfer that does not exist', async () => {
    for (const as of [sender(), receiver()]) {
      for (const path of paths()) {
        const response = await api.call('GET', path, { as });
        expect([path, response.status, response.body.code]).toEqual([path, 404, 'NOT_FOUND']);
      }
    }
    const missing = await api.call('GET', `/v1/transfers/00000000-0000-4000-8000-000000000000/packet`, {
      as: sender(),
    });
    const draftForReceiver = await api.call('GET', `/v1/transfers/${id}/packet`, { as: receiver() });
    expect(draftForReceiver.body).toEqual(missing.body);
    expect((await api.call('GET', `/v1/transfers/not-an-id/packet`, { as: sender() })).status).toBe(404);
  });

  it('answers 404 after initiation until the worker has generated the packet', async () => {
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() })).status).toBe(200);
    const early = await api.call('GET', `/v1/transfers/${id}/packet`, { as: receiver() });
    expect(early.status).toBe(404);
    expect(early.body.message).toEqual(['packet (none generated yet) not found']);
    expect((await api.call('GET', `/v1/transfers/${id}`, { as: receiver() })).body.latestPacket).toBeNull();

    worker = await startWorker(api.config);
    await waitFor(
      'packet version 1',
      async () => (await api.call('GET', `/v1/transfers/${id}/packet`, { as: sender() })).status === 200,
    );
  });

  it('gives both sides the same packet, whose sha256 is that of its canonical JSON', async () => {
    const seen = [];
    for (const as of [
      sender(),
      receiver(),
      dir.birmingham.hv.manager.email,
      dir.sandwell.hv.manager.email,
      dir.birmingham.lead.email,
      dir.sandwell.lead.email,
    ]) {
      const response = await api.call('GET', `/v1/transfers/${id}/packet`, { as });
      expect(response.status).toBe(200);
      seen.push(response.body);
    }
    expect(new Set(seen.map((p) => JSON.stringify(p))).size).toBe(1);
    const { version, sha256, generatedAt, ...document } = seen[0];
    expect(version).toBe(1);
    expect(Number.isNaN(Date.parse(generatedAt))).toBe(false);
    expect(sha256).toBe(sha256Hex(canonicalJson(document)));
    expect(document.transfer).toEqual(
      expect.objectContaining({
        id,
        reference,
        from: expect.objectContaining({ areaName: 'Birmingham', teamName: 'Birmingham Health Visiting' }),
        to: expect.objectContaining({ areaName: 'Sandwell', teamName: 'Sandwell Health Visiting' }),
        accountablePractitioner: expect.objectContaining({ id: dir.birmingham.hv.practitioner.id, side: 'sending' }),
        contactDueAt: expect.any(String),
      }),
    );
    expect(document.riskFlags.slice(0, 2).map((f: { severity: string }) => f.severity)).toEqual([
      'critical',
      'critical',
    ]);
    expect(document.sections.map((s: { key: string }) => s.key)).toEqual([
      'household',
      'thinkFamily',
      'children',
      'concerns',
      'appointments',
      'supportNetwork',
      'directContact',
    ]);

    const transfer = await api.call('GET', `/v1/transfers/${id}`, { as: receiver() });
    expect(transfer.body.latestPacket).toEqual({ version: 1, sha256, generatedAt });
  });

  it('serves the PDF inline, uncached, with the flags and the household roles in its text', async () => {
    const packet = (await api.call('GET', `/v1/transfers/${id}/packet`, { as: receiver() })).body;
    const pdf = await pdfOf(receiver());
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${reference}-v1.pdf"`);
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    const text = await pdfText(pdf.bytes);
    expect(packet.riskFlags).toHaveLength(10);
    for (const flag of packet.riskFlags) {
      expect(text).toContain(flag.title);
      expect(text).toContain(flag.code);
    }
    expect(text.indexOf('Bruising or injury on a baby who is not yet mobile')).toBeLessThan(
      text.indexOf('Child not registered with a GP'),
    );
    for (const role of [
      'Mother: Philippa Quillfeather',
      'Father: Barnaby Thistlewood',
      'Daughter: Zephyrine Quillfeather',
      'Son: Octavian Quillfeather',
    ]) {
      expect(text).toContain(role);
    }
    expect(text).toContain('NOT seen and spoken with by a practitioner (not engaged)');
    expect(text).toContain(reference);
  });

  it('serves a version by number and 404s for versions that do not exist', async () => {
    const latest = await api.call('GET', `/v1/transfers/${id}/packet`, { as: sender() });
    const one = await api.call('GET', `/v1/transfers/${id}/packets/1`, { as: receiver() });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(latest.body);
    for (const version of ['2', '0', '-1', '1.5', 'abc', '99999999999']) {
      const response = await api.call('GET', `/v1/transfers/${id}/packets/${version}`, { as: sender() });
      expect([version, response.status]).toEqual([version, 404]);
    }
  });

  it('answers 404 to a third area, to another team of the receiving area and to an admin', async () => {
    for (const as of [
      dir.dudley.csc.practitioner.email,
      dir.dudley.lead.email,
      dir.sandwell.csc.practitioner.email,
      ADMIN_EMAIL,
    ]) {
      for (const path of paths()) {
        const response = await api.call('GET', path, { as });
        expect([as, path, response.status, response.body.code]).toEqual([as, path, 404, 'NOT_FOUND']);
      }
    }
  });

  it('audits every fetch as a view, and every 404 as a refusal', async () => {
    const harriet = dir.sandwell.hv.practitioner.id;
    const views = await auditOf('packet.view', harriet);
    // Harriet: four 404s before there was a packet (a draft ×3, then initiated but not yet generated);
    // then /packet twice and /packets/1 once.
    expect(views.filter((v: { outcome: string }) => v.outcome === 'refused')).toEqual(
      Array(4).fill(expect.objectContaining({ reasonCode: 'NOT_FOUND', entityType: 'packet', entityId: null })),
    );
    const succeeded = views.filter((v: { outcome: string }) => v.outcome === 'succeeded');
    expect(succeeded).toHaveLength(3);
    const [packetRow] = await ds.query(`SELECT id FROM packets WHERE transfer_id = $1 AND version = 1`, [id]);
    expect(succeeded[0]).toEqual(
      expect.objectContaining({
        entityType: 'packet',
        entityId: packetRow.id,
        details: { version: 1, format: 'json' },
      }),
    );
    const pdfViews = await auditOf('packet.pdf_view', harriet);
    expect(pdfViews.map((v: { outcome: string }) => v.outcome)).toEqual(['refused', 'succeeded']);
    expect(pdfViews[1].details).toEqual({ version: 1, format: 'pdf' });
    const dudley = await auditOf('packet.view', dir.dudley.lead.id);
    expect(dudley.map((v: { outcome: string; reasonCode: string }) => [v.outcome, v.reasonCode])).toEqual([
      ['refused', 'NOT_FOUND'],
      ['refused', 'NOT_FOUND'],
    ]);
  });

  it('makes version 2 when the direct contact is recorded; version 1 stays as it was', async () => {
    const v1 = (await api.call('GET', `/v1/transfers/${id}/packets/1`, { as: sender() })).body;
    const flags = v1.riskFlags.map((f: { code: string; title: string }) => ({
      code: f.code,
      understanding: `understood: ${f.title}`,
    }));
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const contact = await api.call('POST', `/v1/transfers/${id}/direct-contact`, {
      as: receiver(),
      body: {
        occurredAt: new Date().toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Talked through the bruise, the father’s probation history and the GP position',
        flagAcknowledgements: flags,
        agreedActions: [{ description: 'Register the baby with a GP', owner: 'receiving', dueOn: due }],
      },
    });
    expect(contact.status).toBe(200);
    await waitFor(
      'packet version 2',
      async () => (await api.call('GET', `/v1/transfers/${id}/packet`, { as: sender() })).body.version === 2,
    );

    const v2 = (await api.call('GET', `/v1/transfers/${id}/packet`, { as: receiver() })).body;
    const contactSection = v2.sections.find((s: { key: string }) => s.key === 'directContact');
    expect(contactSection.recorded).toBe(true);
    expect(contactSection.contact.agreedActions).toEqual([
      expect.objectContaining({
        description: 'Register the baby with a GP',
        owner: 'receiving',
        ownerText: 'Receiving team (Sandwell Health Visiting)',
        dueOn: due,
      }),
    ]);
    expect((await api.call('GET', `/v1/transfers/${id}/packets/1`, { as: receiver() })).body).toEqual(v1);

    const pdf = await pdfOf(sender());
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${reference}-v2.pdf"`);
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('Talked through the bruise, the father’s probation history and the GP position');
    expect(text).toContain('Register the baby with a GP');
  });
});
