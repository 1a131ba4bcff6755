// @ts-check
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Boundaries between the libraries and apps (issue 11 item 6). A file's zone is `libs/<name>` or `apps/<name>`;
 * an import's zone is found from its specifier (`@fh/<lib>`, or a relative path resolved against the
 * file). Rules:
 *  - an app never imports another app (apps/api ↛ apps/web, apps/worker ↛ apps/api…): what two apps
 *    share lives in a library;
 *  - libs/* never import apps/* (nor scripts/);
 *  - each library imports only the libraries listed for it below (libs/domain: none);
 *  - libs/domain imports no package but the pure ones listed (no framework, ORM, Node built-in or I/O);
 *  - the pure templates of libs/notifications import nothing but libs/domain: only the outbox writer
 *    (email-outbox.ts) reaches libs/persistence;
 *  - a library's own unit specs may also use test/support and fast-check.
 */
const ROOT = import.meta.dirname;
const LIB_DEPENDENCIES = {
  domain: [],
  config: ['domain'],
  queues: [],
  observability: [],
  persistence: ['domain', 'config', 'queues'],
  packet: ['domain'],
  notifications: ['domain', 'persistence'],
};
const DOMAIN_PACKAGES = ['date-holidays'];
/** Files of a library that may use a dependency the rest of it may not. */
const ONLY_IN = { 'libs/notifications -> libs/persistence': ['libs/notifications/src/email-outbox.ts'] };
/** Zones outside apps/ and libs/ a library may import from (persistence runs the migrations). */
const LIB_EXTRA_ZONES = { persistence: ['migrations'] };
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function zoneOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'libs' || parts[0] === 'apps') return parts.length > 1 ? `${parts[0]}/${parts[1]}` : null;
  return parts[0] || null;
}

const boundaries = {
  meta: { type: 'problem', schema: [], messages: { crossing: '{{what}}' } },
  create(context) {
    const file = relative(ROOT, context.filename).split('\\').join('/');
    const from = zoneOf(file);
    if (from?.startsWith('apps/')) return appBoundaries(context, from);
    if (!from || !from.startsWith('libs/')) return {};
    const lib = from.slice('libs/'.length);
    const spec = /\.spec\.ts$/.test(file);
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const report = (what) => context.report({ node, messageId: 'crossing', data: { what } });
      const to = zoneOfSpecifier(context.filename, specifier);
      if (to === null) {
        if (lib !== 'domain') return;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (DOMAIN_PACKAGES.includes(name) || (spec && name === 'fast-check')) return;
        return report(
          `libs/domain is plain TypeScript: it imports nothing outside itself (${BUILTINS.has(name) ? 'Node built-in' : 'package'} '${specifier}')`,
        );
      }
      if (to === from) return;
      if (to?.startsWith('apps/') || to === 'scripts')
        return report(`libs/* never import apps/* or scripts/ ('${specifier}' is in ${to})`);
      if (to === 'test' && spec) return;
      if (to?.startsWith('libs/')) {
        const target = to.slice('libs/'.length);
        const allowed = LIB_DEPENDENCIES[lib] ?? [];
        if (!allowed.includes(target))
          return report(
            `${from} may import only ${allowed.length ? allowed.map((l) => `libs/${l}`).join(', ') : 'itself'} (not ${to})`,
          );
        const only = ONLY_IN[`${from} -> ${to}`];
        if (only && !only.includes(file)) return report(`in ${from}, only ${only.join(', ')} may import ${to}`);
        return;
      }
      if ((LIB_EXTRA_ZONES[lib] ?? []).includes(to)) return;
      return report(`${from} may not import from ${to} ('${specifier}')`);
    };
    return visitImports(check);
  },
};

/** The zone an import specifier names, seen from `filename`: `libs/<name>` for `@fh/<name>`, null for a package. */
function zoneOfSpecifier(filename, specifier) {
  if (specifier.startsWith('.'))
    return zoneOf(
      relative(ROOT, resolve(dirname(filename), specifier))
        .split('\\')
        .join('/'),
    );
  if (specifier.startsWith('@fh/')) return `libs/${specifier.slice(4).split('/')[0]}`;
  return null;
}

/** In apps/<name>: an import that reaches another app's files is reported. */
function appBoundaries(context, from) {
  return visitImports((node, specifier) => {
    if (typeof specifier !== 'string') return;
    const to = zoneOfSpecifier(context.filename, specifier);
    if (to?.startsWith('apps/') && to !== from)
      context.report({
        node,
        messageId: 'crossing',
        data: {
          what: `an app never imports another app: ${from} imports '${specifier}' from ${to} (share it through a library)`,
        },
      });
  });
}

/** Calls `check(node, specifier)` for every import, re-export, dynamic import, import type and require. */
function visitImports(check) {
  const source = (node) => check(node.source ?? node, node.source?.value);
  return {
    ImportDeclaration: source,
    ExportNamedDeclaration: (node) => node.source && source(node),
    ExportAllDeclaration: source,
    ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    TSImportType: (node) => {
      const arg = node.source ?? node.argument?.literal ?? node.argument;
      if (arg?.type === 'Literal') check(node, arg.value);
    },
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal')
        check(node, node.arguments[0].value);
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'docs/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    plugins: { fh: { rules: { boundaries } } },
    rules: { 'fh/boundaries': 'error' },
  },
  {
    files: ['scripts/**/*.mjs', '**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
