import { ESLint } from 'eslint';
import { join } from 'node:path';

/**
 * The fh/boundaries rule of eslint.config.mjs, run on lint fixtures given as text at paths inside
 * the repository (nothing is written): it fires on each crossing and stays quiet on what is allowed.
 */
const ROOT = join(__dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function crossings(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === 'fh/boundaries' || m.fatal).map((m) => m.message);
}

describe('fh/boundaries: no app imports another app', () => {
  it.each([
    [
      'apps/web/src/transfers/x.ts',
      `import { TransferView } from '../../../api/src/transfers/transfer.view.js';`,
      'apps/api',
    ],
    ['apps/worker/src/x.ts', `export { createApiApp } from '../../api/src/api.factory.js';`, 'apps/api'],
    ['apps/api/src/x.ts', `const page = require('../../web/src/web.factory');`, 'apps/web'],
    [
      'apps/dev-idp/src/x.ts',
      `export type T = import('../../worker/src/worker.factory').RunningWorker;`,
      'apps/worker',
    ],
    ['apps/api/src/demo/x.ts', `void import('../../../dev-idp/src/dev-idp.js');`, 'apps/dev-idp'],
  ])('reports %s: %s', async (file, code, target) => {
    const messages = await crossings(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^an app never imports another app: apps\/\S+ imports '.*' from /);
    expect(messages[0]).toContain(`from ${target}`);
  });

  it('allows an app its own files, the libraries and packages', async () => {
    expect(
      await crossings(
        'apps/web/src/transfers/x.ts',
        [
          `import { ApiClient } from '../api/api-client.service.js';`, // apps/web/src/api, the console's own client
          `import { WEB_CONFIG } from '../web-config.token.js';`,
          `import { loadConfig } from '@fh/config';`,
          `import { canSee } from '@fh/domain';`,
          `import nunjucks from 'nunjucks';`,
          `export const used = [ApiClient, WEB_CONFIG, loadConfig, canSee, nunjucks];`,
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('fh/boundaries: libraries', () => {
  it.each([
    [
      'libs/persistence/src/x.ts',
      `import { createApiApp } from '../../../apps/api/src/api.factory.js';`,
      /^libs\/\* never import apps\/\*/,
    ],
    [
      'libs/domain/src/x.ts',
      `import { readFileSync } from 'node:fs';`,
      /^libs\/domain is plain TypeScript.*Node built-in/,
    ],
    ['libs/domain/src/x.ts', `import { Pool } from 'pg';`, /^libs\/domain is plain TypeScript.*package 'pg'/],
    [
      'libs/packet/src/x.ts',
      `import { IdempotencyRepository } from '@fh/persistence';`,
      /^libs\/packet may import only libs\/domain/,
    ],
    [
      'libs/notifications/src/templates.ts',
      `import { appendAudit } from '@fh/persistence';`,
      /only libs\/notifications\/src\/email-outbox.ts may import/,
    ],
  ])('reports %s: %s', async (file, code, message) => {
    const messages = await crossings(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it('allows a library the libraries listed for it', async () => {
    expect(
      await crossings('libs/persistence/src/x.ts', `import { canSee } from '@fh/domain';\nexport { canSee };`),
    ).toEqual([]);
  });
});
