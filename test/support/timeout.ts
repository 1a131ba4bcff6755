import { Redis } from 'ioredis';

/**
 * Tests and hooks against real services make many requests; on a 2-core machine under load jest's
 * 5 s default is not enough. (A project's own `testTimeout` is ignored by jest-circus, which reads only
 * the global one, so the integration and end-to-end projects set it here.)
 */
jest.setTimeout(30_000);

/*
 * On this kind of machine jest runs every test file in its own process (maxWorkers = cores − 1 = 1),
 * so a Redis client left reconnecting to a server a test already stopped (its own redis-server, a
 * proxy) would keep `npm test` from exiting. Every ioredis client a test file starts is tracked; once
 * the file's own clean-up has run, any still trying to reach a server that is gone is cut and named.
 */
const clients = new Set<Redis>();
const connect = Redis.prototype.connect;
Redis.prototype.connect = function (this: Redis, ...args: Parameters<Redis['connect']>) {
  clients.add(this);
  return connect.apply(this, args);
};
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const stranded = [...clients].filter((client) => client.status === 'reconnecting' || client.status === 'connecting');
  for (const client of stranded) client.disconnect();
  if (stranded.length) {
    const ports = [...new Set(stranded.map((client) => client.options.port))].join(', ');
    process.stderr.write(
      `note: ${stranded.length} Redis client(s) left reconnecting to port ${ports} by ${expect.getState().testPath}; disconnected\n`,
    );
  }
});
