import { loadTransfer, loadTransferView } from '@fh/persistence';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/**
 * Issue 11 ("every transition loads the whole transfer twice … each notification re-queries names
 * already loaded"; item 7 "nothing on the path does work twice"): a command locks the transfer, reads
 * it and everything the decision needs in ONE named statement, writes the decision, and answers from
 * one more read of the same view — the family's tables are read twice per command, not once per
 * table per load; a notification names the teams and areas from what the command already read; and
 * the stored risk flags are rewritten only when the facts change.
 */
describe('transfer commands: statements per command', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let sender: string;
  let receiver: string;
  let id: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
  });
  afterAll(() => api.close());

  interface Sent {
    text: string;
    name?: string;
  }

  /** Every statement the API sends while serving one request (the caller's sign-in already cached). */
  const statementsOf = async (method: string, path: string, as: string, body?: unknown) => {
    const token = await api.token(as);
    await api.call('GET', '/v1/teams', { token }); // signs in, so the lookup is cached
    const original = Client.prototype.query;
    const sent: Sent[] = [];
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const query = args[0] as string | Sent;
      sent.push(typeof query === 'string' ? { text: query } : { text: query.text, name: query.name });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const response = await api.call(method, path, { token, body });
      return { status: response.status, body: response.body, sent };
    } finally {
      Client.prototype.query = original;
    }
  };

  /** The tables a transfer's full load read one by one (the family, the contacts, the packets). */
  const FAMILY_TABLES =
    'household_members|member_involvements|concerns|appointments|direct_contacts|agreed_actions|flag_acknowledgements|packets';
  /** Statements that read a table (FROM or JOIN it), e.g. the household. */
  const reading = (sent: Sent[], table: string) =>
    sent.filter((s) => /^\s*SELECT/i.test(s.text) && new RegExp(`(FROM|JOIN)\\s+${table}\\b`).test(s.text));
  /** The statement that re-read the transfer's reference, teams and areas for an email. */
  const emailFactsReads = (sent: Sent[]) => sent.filter((s) => /SELECT t\.reference, t\.version/.test(s.text));
  /** The transition's write of the transfer row; whether it rewrote the stored flags. */
  const flagWrites = (sent: Sent[]) => sent.filter((s) => /^\s*UPDATE transfers SET[\s\S]*risk_flags\s*=/.test(s.text));

  it('reads the family once for the decision and once for the answer, on every command of a journey', async () => {
    const created = await statementsOf('POST', '/v1/transfers', sender, reviewFamily(dir.sandwell.hv.id));
    expect(created.status).toBe(201);
    id = created.body.id as string;
    // A new draft is answered from one read of the view.
    expect(reading(created.sent, 'household_members')).toHaveLength(1);

    const updated = await statementsOf('PATCH', `/v1/transfers/${id}`, sender, { reason: 'A new reason' });
    expect(updated.status).toBe(200);

    const initiated = await statementsOf('POST', `/v1/transfers/${id}/initiate`, sender);
    expect(initiated.status).toBe(200);
    const flags = initiated.body.riskFlags as { code: string; severity: string }[];

    const contact = await statementsOf('POST', `/v1/transfers/${id}/direct-contact`, receiver, {
      occurredAt: new Date().toISOString(),
      method: 'phone',
      sendingPractitionerId: dir.birmingham.hv.practitioner.id,
      summary: 'Talked it through',
      flagAcknowledgements: flags.map((f) => ({ code: f.code, understanding: 'understood' })),
    });
    expect(contact.status).toBe(200);

    const confirmed = await statementsOf('POST', `/v1/transfers/${id}/direct-contact/confirm`, sender, {
      agree: true,
    });
    expect(confirmed.status).toBe(200);

    const acknowledged = [];
    for (const flag of flags.filter((f) => f.severity === 'critical')) {
      const ack = await statementsOf(
        'POST',
        `/v1/transfers/${id}/flags/${flag.code}/acknowledge`,
        dir.sandwell.lead.email,
        {
          advice: 'Strategy discussion held',
        },
      );
      expect(ack.status).toBe(200);
      acknowledged.push(ack);
    }

    const accepted = await statementsOf('POST', `/v1/transfers/${id}/accept`, receiver, {
      leadPractitionerId: dir.sandwell.hv.practitioner.id,
    });
    expect(accepted.status).toBe(200);

    // The acknowledgements by their order ('0', '1', …).
    const commands: Record<string, { sent: Sent[] }> = {
      updated,
      initiated,
      contact,
      confirmed,
      ...Object.fromEntries(acknowledged.entries()),
      accepted,
    };
    const counts = Object.fromEntries(
      Object.entries(commands).map(([name, c]) => [
        name,
        {
          statements: c.sent.length,
          family: reading(c.sent, `(${FAMILY_TABLES})`).length,
          household: reading(c.sent, 'household_members').length,
          concerns: reading(c.sent, 'concerns').length,
          contacts: reading(c.sent, 'direct_contacts').length,
          emailFacts: emailFactsReads(c.sent).length,
          flagWrites: flagWrites(c.sent).length,
        },
      ]),
    );
    // Shown when an assertion fails: the figures behind the bounds below.
    process.stdout.write(`statements per command: ${JSON.stringify(counts)}\n`);

    for (const [name, c] of Object.entries(counts)) {
      // One read of the view under the lock for the decision, one for the answer: no other
      // statement reads the family, its contacts or its packets (the full load read them in 9).
      expect({ name, family: c.family }).toEqual({ name, family: 2 });
      expect({ name, household: c.household }).toEqual({ name, household: 2 });
      expect({ name, concerns: c.concerns }).toEqual({ name, concerns: 2 });
      expect({ name, contacts: c.contacts }).toEqual({ name, contacts: 2 });
      // The email names what the command read; nothing re-queries it.
      expect({ name, emailFacts: c.emailFacts }).toEqual({ name, emailFacts: 0 });
    }
    // The stored flags are the facts' flags: rewritten when the facts change (an update, the
    // initiation), kept by every other transition.
    expect(counts.updated.flagWrites).toBe(1);
    expect(counts.initiated.flagWrites).toBe(1);
    for (const name of ['contact', 'confirmed', 'accepted', ...acknowledged.map((_, i) => String(i))])
      expect({ name, flagWrites: counts[name].flagWrites }).toEqual({ name, flagWrites: 0 });

    // Upper bounds on the whole command (BEGIN … COMMIT, idempotency, audit, the writes, the emails
    // and chase items it sets in motion); before this change: 33, 41, 31, 30, 26 and 34.
    for (const [name, bound] of Object.entries(BOUNDS))
      expect({ name, statements: counts[name].statements }).toEqual({
        name,
        statements: Math.min(counts[name].statements, bound),
      });
  });

  it('decides on the same record the full load gives: the one view statement carries everything decide() reads', async () => {
    const ds = api.app.get(DataSource);
    const full = await loadTransfer(ds.manager, id);
    expect(full?.contacts.length).toBeGreaterThan(0);
    expect(full?.acknowledgements.length).toBeGreaterThan(0);
    expect(full?.childrenSeen.map((c) => c.status)).toEqual(['open', 'open']);
    expect(await loadTransferView(ds.manager, id, { all: true })).toEqual(full);
  });
});

/** Statements per command of the review family's journey, as measured (docs/decisions.md); more fails. */
const BOUNDS: Record<string, number> = {
  updated: 17,
  // 23, plus the child_seen item opened for each of the family's two children (issue 14 item 1).
  initiated: 25,
  contact: 14,
  confirmed: 12,
  '0': 10,
  accepted: 17,
};
