import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './wait';

/** A free loopback port (the kernel picks one; a tiny race with other processes is accepted). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A redis-server of the test's own (no persistence, noeviction) in a temporary directory, so a
 * test can stop it, flush it or break it without touching the shared server.
 */
export class OwnRedis {
  private process: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'fh-redis-'));
  port = 0;
  admin!: Redis;

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.process.on('error', (error) => {
      throw new Error(`this test starts its own redis-server (from the redis-server package): ${error.message}`);
    });
    this.admin?.disconnect();
    this.admin = new Redis(this.url(), { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    this.admin.on('error', () => undefined);
    await waitFor(
      'the test’s own redis-server',
      () =>
        this.admin.ping().then(
          (r) => r === 'PONG',
          () => false,
        ),
      10_000,
    );
    return this;
  }

  url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the server as a crash would (its data is gone: no persistence). */
  async kill(): Promise<void> {
    const p = this.process;
    this.process = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    this.admin?.disconnect();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type ProxyMode =
  /** Forward to Redis. */
  | 'pass'
  /** Not listening: connections are refused, as by a stopped server. */
  | 'refuse'
  /** Accept each connection and reset it at once. */
  | 'reset'
  /** Forward, but drop each connection 100 ms after it was made (a flapping link or failover). */
  | 'drop'
  /** Answer every command with `-LOADING`, as a Redis still loading its data set does. */
  | 'loading';

/** A loopback TCP proxy in front of a Redis whose behaviour the test switches. */
export class FaultProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private mode: ProxyMode = 'pass';
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'reset') return void client.destroy();
    if (this.mode === 'loading') {
      client.on('data', (chunk: Buffer) => {
        // One error reply per command in the chunk (RESP arrays start a line with '*').
        const commands = chunk
          .toString('latin1')
          .split('\r\n')
          .filter((line) => /^\*\d+$/.test(line)).length;
        for (let i = 0; i < Math.max(1, commands); i++)
          client.write('-LOADING Redis is loading the dataset in memory\r\n');
      });
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    if (this.mode === 'drop') setTimeout(() => client.destroy(), 100).unref();
  }

  /** Switches behaviour; every open connection is dropped, as the change of state would. */
  async set(mode: ProxyMode): Promise<void> {
    const wasListening = this.mode !== 'refuse';
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    if (mode === 'refuse' && wasListening) await new Promise((resolve) => this.server!.close(resolve));
    if (mode !== 'refuse' && !wasListening) await this.start();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server?.listening) await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (CLK_TCK = 100). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
