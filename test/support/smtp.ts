import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  /** The whole message as received, headers included. */
  raw: string;
}

type Behaviour =
  | { kind: 'accept' }
  | { kind: 'reply'; code: number; message: string; times: number }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number };

/**
 * A real SMTP server (the smtp-server package) on a loopback port, whose replies a test controls:
 * accept, answer an error code a number of times, or hold a message without answering.
 */
export class TestSmtpServer {
  readonly messages: CapturedMail[] = [];
  /** Every DATA the server was offered, accepted or not. */
  attempts = 0;
  /** Server errors other than clients hanging up. */
  readonly errors: Error[] = [];
  private behaviour: Behaviour = { kind: 'accept' };
  private server: SMTPServer | null = null;
  private held: (() => void)[] = [];
  port = 0;

  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        // The answer is chosen as the attempt is counted: a test that sees `attempts` go up and then
        // changes the behaviour changes the next message's answer, never this one's.
        this.attempts++;
        const behaviour = this.behaviour;
        const refusal = behaviour.kind === 'reply' && behaviour.times > 0;
        if (refusal && --behaviour.times === 0) this.behaviour = { kind: 'accept' };
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (behaviour.kind === 'hang') {
            this.held.push(() => callback(new Error('closing')));
            return;
          }
          if (refusal) return callback(Object.assign(new Error(behaviour.message), { responseCode: behaviour.code }));
          const raw = Buffer.concat(chunks).toString('utf8');
          const wait = behaviour.kind === 'delay' ? behaviour.ms : 0;
          const take = () =>
            simpleParser(raw).then(
              (mail) => {
                this.messages.push({
                  messageId: mail.messageId ?? '',
                  to: session.envelope.rcptTo.map((r) => r.address),
                  subject: mail.subject ?? '',
                  text: mail.text ?? '',
                  raw,
                });
                callback();
              },
              (error: Error) => callback(error),
            );
          if (wait > 0) setTimeout(take, wait);
          else void take();
        });
      },
    });
    // A client that dies mid-conversation (the crash tests SIGKILL a worker) resets its connection:
    // that is the client's problem, not a server error worth failing the test file over.
    this.server.on('error', (error: Error & { code?: string }) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') this.errors.push(error);
    });
    await new Promise<void>((resolve, reject) => this.server!.listen(port, '127.0.0.1', resolve).once('error', reject));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  accept(): void {
    this.behaviour = { kind: 'accept' };
  }

  /** Answer the next `times` messages with this SMTP reply, then accept again. */
  reply(code: number, message: string, times = Number.POSITIVE_INFINITY): void {
    this.behaviour = { kind: 'reply', code, message, times };
  }

  /** Take each message, but answer its DATA only after `ms` (a slow relay). */
  delay(ms: number): void {
    this.behaviour = { kind: 'delay', ms };
  }

  /** Take messages in but never answer them. */
  hang(): void {
    this.behaviour = { kind: 'hang' };
  }

  async stop(): Promise<void> {
    for (const release of this.held.splice(0)) release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
