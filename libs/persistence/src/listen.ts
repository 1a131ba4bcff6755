import { Client } from 'pg';

/** A LISTEN on one channel over a connection of its own. */
export interface ChannelListener {
  /** True while the connection is up and listening: only then is every notification seen. */
  readonly listening: boolean;
  close(): Promise<void>;
}

const RETRY_MS = 2_000;

/**
 * LISTENs on `channel` and calls `onNotify` for every notification. When the connection fails it
 * calls `onState(false)` (notifications may be missed from then on) and tries again every 2 s;
 * `onState(true)` once listening again. Resolves after the first attempt, listening or not.
 */
export async function listenTo(
  databaseUrl: string,
  channel: string,
  applicationName: string,
  on: { notify: () => void; state: (listening: boolean) => void },
): Promise<ChannelListener> {
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const handle = {
    listening: false,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      handle.listening = false;
      await client?.end().catch(() => undefined);
    },
  };
  const down = (failed: Client) => {
    if (client !== failed) return;
    client = null;
    if (handle.listening) on.state((handle.listening = false));
    void failed.end().catch(() => undefined);
    if (!closed) (retry = setTimeout(() => void connect(), RETRY_MS)).unref();
  };
  const connect = async () => {
    if (closed) return;
    const next = new Client({ connectionString: databaseUrl, application_name: applicationName });
    client = next;
    next.on('notification', () => on.notify());
    next.on('error', () => down(next));
    next.on('end', () => down(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed || client !== next) return void next.end().catch(() => undefined);
      on.state((handle.listening = true));
    } catch {
      down(next);
    }
  };
  await connect();
  return handle;
}
