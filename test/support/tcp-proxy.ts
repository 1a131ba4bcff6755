import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy that can be cut and restored: the way these tests make Redis (or another
 * server) "go away" mid-run without stopping the shared server other test files are using.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private down = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || 6379));
  }

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (this.down) return void client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(protocol = 'redis'): string {
    return `${protocol}://127.0.0.1:${this.port}`;
  }

  /**
   * Drops every connection and stops listening, so new connections are refused — what clients see
   * when the server has stopped. (Accepting and at once resetting connections instead sends BullMQ
   * workers into a busy retry loop that starves the event loop; a stopped server does not.)
   */
  cut(): void {
    this.down = true;
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
  }

  async restore(): Promise<void> {
    this.down = false;
    await new Promise<void>((resolve, reject) =>
      this.server!.listen(this.port, '127.0.0.1', resolve).once('error', reject),
    );
  }

  async close(): Promise<void> {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => (this.server?.listening ? this.server.close(resolve) : resolve(undefined)));
  }
}
