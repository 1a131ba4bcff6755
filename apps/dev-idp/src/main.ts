import { loadIdpConfig } from './idp-config.js';
import { startDevIdp } from './dev-idp.js';

async function main(): Promise<void> {
  const config = loadIdpConfig();
  const idp = await startDevIdp(config);
  process.stderr.write(`dev-idp: development identity provider at ${idp.url} (for development only)\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      idp.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`dev-idp failed to start: ${error.message}\n`);
  process.exit(1);
});
