import type { SeededDirectory, SeededTeam } from './directory';
import { reviewFamily } from './family';
import type { RunningApi } from './harness';

/** The transfer resource as the API returns it (only what the builder reads is typed). */
export interface ScenarioTransfer {
  id: string;
  status: string;
  version: number;
  riskFlags: { code: string; severity: string; safeguardingAcknowledgement?: unknown; missing?: string[] }[];
  [field: string]: any;
}

/** Who plays each part (defaults: Birmingham health visiting sends to Sandwell health visiting). */
export interface ScenarioCast {
  sending: SeededTeam;
  receiving: SeededTeam;
  /** The safeguarding lead who acknowledges critical flags (default: the receiving area's). */
  lead: { id: string; email: string };
}

/** A response that was not the 2xx a step needs: the test fails here, saying what was answered. */
export class ScenarioStepFailed extends Error {}

/**
 * Walks a transfer through its life over HTTP, each step ONE call through the real API as the person
 * whose step it is (acknowledged(): one call per critical flag still waiting):
 *
 *   const t = await scenario(api, dir).created().initiated().contactRecorded().confirmed().acknowledged().accepted();
 *
 * Steps queue up and run when the scenario is awaited, which gives the transfer as the last step's
 * response returned it. A scenario keeps its transfer, so it can go on step by step:
 *
 *   const s = scenario(api, dir);
 *   const draft = await s.created({ concerns: [] });
 *   const sent = await s.initiated();
 *
 * A step that gets anything but its success status throws ScenarioStepFailed with the response.
 */
export class Scenario implements PromiseLike<ScenarioTransfer> {
  private readonly steps: ((transfer: ScenarioTransfer | null) => Promise<ScenarioTransfer>)[] = [];
  private current: ScenarioTransfer | null = null;
  private running: Promise<ScenarioTransfer | null> = Promise.resolve(null);

  constructor(
    private readonly api: RunningApi,
    readonly cast: ScenarioCast,
  ) {}

  /** The transfer's id (after created() has run). */
  get id(): string {
    if (!this.current) throw new Error('scenario: no transfer yet — await created() first');
    return this.current.id;
  }

  /** POST /v1/transfers as the sending practitioner: the review family (test/support/family.ts), with overrides. */
  created(overrides: Record<string, unknown> = {}): this {
    this.steps.push(() =>
      this.call(
        201,
        'POST',
        '/v1/transfers',
        this.cast.sending.practitioner.email,
        reviewFamily(this.cast.receiving.id, overrides),
      ),
    );
    return this;
  }

  /** POST …/initiate as the sending practitioner. */
  initiated(): this {
    return this.step((t) =>
      this.call(200, 'POST', `/v1/transfers/${t.id}/initiate`, this.cast.sending.practitioner.email),
    );
  }

  /**
   * POST …/direct-contact as the receiving practitioner: a phone call with the sending practitioner,
   * every flag the transfer shows acknowledged with what was understood; `body` replaces any field.
   */
  contactRecorded(body: Record<string, unknown> = {}): this {
    return this.step((t) =>
      this.call(200, 'POST', `/v1/transfers/${t.id}/direct-contact`, this.cast.receiving.practitioner.email, {
        occurredAt: new Date().toISOString(),
        method: 'phone',
        sendingPractitionerId: this.cast.sending.practitioner.id,
        summary: 'Talked it through',
        flagAcknowledgements: t.riskFlags.map((f) => ({ code: f.code, understanding: 'understood' })),
        ...body,
      }),
    );
  }

  /** POST …/direct-contact/confirm as the sending practitioner: agreed (or `{ agree: false, comment }`). */
  confirmed(body: Record<string, unknown> = { agree: true }): this {
    return this.step((t) =>
      this.call(
        200,
        'POST',
        `/v1/transfers/${t.id}/direct-contact/confirm`,
        this.cast.sending.practitioner.email,
        body,
      ),
    );
  }

  /** POST …/flags/:code/acknowledge as the safeguarding lead, once for each critical flag not yet acknowledged. */
  acknowledged(advice = 'Strategy discussion held; child protection medical arranged'): this {
    return this.step(async (t) => {
      let transfer = t;
      for (const flag of t.riskFlags.filter((f) => f.severity === 'critical' && !f.safeguardingAcknowledgement))
        transfer = await this.call(
          200,
          'POST',
          `/v1/transfers/${t.id}/flags/${flag.code}/acknowledge`,
          this.cast.lead.email,
          {
            advice,
            // The bruising protocol (issue 14 item 4): what was done about each item it is missing.
            actions: (flag.missing ?? []).map((item) => ({
              item,
              action: `${item.replace(/_/g, ' ')} arranged today`,
            })),
          },
        );
      return transfer;
    });
  }

  /** POST …/accept as the receiving practitioner, naming them (or `leadPractitionerId`) the receiving lead. */
  accepted(leadPractitionerId = this.cast.receiving.practitioner.id): this {
    return this.step((t) =>
      this.call(200, 'POST', `/v1/transfers/${t.id}/accept`, this.cast.receiving.practitioner.email, {
        leadPractitionerId,
      }),
    );
  }

  /**
   * POST …/children/:memberId/seen as the receiving practitioner, for every child not yet recorded as
   * seen (issue 14 item 1: a transfer only closes once each child has been seen): seen at home today,
   * by the receiving practitioner, not alone.
   */
  childrenSeen(body: Record<string, unknown> = {}): this {
    return this.step(async (t) => {
      let transfer = t;
      for (const child of (t.childrenSeen ?? []).filter((c: { itemStatus: string }) => c.itemStatus === 'open'))
        transfer = await this.call(
          200,
          'POST',
          `/v1/transfers/${t.id}/children/${child.memberId}/seen`,
          this.cast.receiving.practitioner.email,
          {
            seenOn: new Date().toISOString().slice(0, 10),
            seenById: this.cast.receiving.practitioner.id,
            where: 'home',
            seenAlone: false,
            note: 'Seen at home with mother',
            ...body,
          },
        );
      return transfer;
    });
  }

  then<A = ScenarioTransfer, B = never>(
    onfulfilled?: ((value: ScenarioTransfer) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    const steps = this.steps.splice(0);
    this.running = this.running.then(async () => {
      for (const step of steps) this.current = await step(this.current);
      return this.current;
    });
    return this.running
      .then((transfer) => {
        if (!transfer) throw new Error('scenario: nothing to run — start with created()');
        return transfer;
      })
      .then(onfulfilled, onrejected);
  }

  /** Queues a step on the transfer so far (every step but created() needs one). */
  private step(run: (transfer: ScenarioTransfer) => Promise<ScenarioTransfer>): this {
    this.steps.push(async (transfer) => {
      if (!transfer) throw new Error('scenario: start with created()');
      return run(transfer);
    });
    return this;
  }

  private async call(
    status: number,
    method: string,
    path: string,
    as: string,
    body?: unknown,
  ): Promise<ScenarioTransfer> {
    const response = await this.api.call(method, path, { as, body });
    if (response.status !== status)
      throw new ScenarioStepFailed(
        `scenario: ${method} ${path} as ${as} answered ${response.status}, not ${status}: ${JSON.stringify(response.body)}`,
      );
    return response.body as ScenarioTransfer;
  }
}

/** A scenario for one transfer between the seeded directory's teams (see Scenario). */
export function scenario(api: RunningApi, dir: SeededDirectory, cast: Partial<ScenarioCast> = {}): Scenario {
  return new Scenario(api, {
    sending: cast.sending ?? dir.birmingham.hv,
    receiving: cast.receiving ?? dir.sandwell.hv,
    lead: cast.lead ?? dir.sandwell.lead,
  });
}
