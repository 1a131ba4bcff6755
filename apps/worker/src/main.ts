import 'reflect-metadata';
import { loadConfig } from '@fh/config';
import { startWorker } from './worker.factory.js';

async function main(): Promise<void> {
  const worker = await startWorker(loadConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      worker.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`worker failed to start: ${error.message}\n`);
  process.exit(1);
});
