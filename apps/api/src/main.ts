import 'reflect-metadata';
import { loadConfig } from '@fh/config';
import { createApiApp } from './api.factory.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  // SIGTERM: stop taking requests, finish those in flight, run every shutdown hook, then exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: Error) => {
  // Configuration errors name the variable; nothing else is printed (no personal data at boot).
  process.stderr.write(`api failed to start: ${error.message}\n`);
  process.exit(1);
});
