import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free loopback TCP port (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a Redis server answers PING on the loopback port (a raw socket: no client library timers left behind). */
async function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export interface OwnRedis {
  port: number;
  url: string;
  /** The server's process id while it runs (e.g. to SIGSTOP it), else undefined. */
  pid(): number | undefined;
  /** Stops the server (SIGTERM, no save); connections are closed and new ones refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same arguments (empty: nothing is persisted). */
  start(): Promise<void>;
  /** A fresh ioredis client to the server (the caller quits it; all are quit by `stop`/`close`). */
  client(): Redis;
  /** Stops the server, quits the clients and removes its directory. */
  close(): Promise<void>;
}

/**
 * A `redis-server` of the test's own — on a free loopback port, in a temporary directory, nothing
 * persisted — so a test can stop it, fill it or make it answer errors without touching the shared
 * Redis other test files use. `args` are extra `redis-server` arguments, e.g.
 * `['--maxmemory', '4mb', '--maxmemory-policy', 'noeviction']`. Needs `redis-server` on the PATH.
 */
export async function startOwnRedis(args: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fh-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const clients = new Set<Redis>();
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    if (child) return;
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let output = '';
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', () => {
      if (child === proc) child = null;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child !== proc) throw new Error(`redis-server on port ${port} exited at start:\n${output}`);
      if (await pings(port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    child = null;
  };

  await start();
  return {
    port,
    url,
    pid: () => child?.pid,
    stop,
    start,
    client() {
      const c = new Redis(url, { maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.add(c);
      return c;
    },
    async close() {
      for (const c of clients) c.disconnect();
      clients.clear();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
