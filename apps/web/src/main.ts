import 'reflect-metadata';
import { loadWebConfig } from './web-config.js';
import { createWebApp } from './web.factory.js';

async function main(): Promise<void> {
  const config = loadWebConfig();
  const app = await createWebApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
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
  process.stderr.write(`web failed to start: ${error.message}\n`);
  process.exit(1);
});
