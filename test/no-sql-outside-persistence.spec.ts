import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import ts from 'typescript';

/**
 * Issue 11: no SQL outside libs/persistence. Every TypeScript file under apps/ and libs/ (libs/persistence
 * excepted) is parsed, and code — never comments or prose — that talks to the database is reported:
 *
 *  - a call of `.query(…)`, `createQueryBuilder(…)` or `.getRepository(…)`;
 *  - a string or template literal that reads as SQL (upper-case keywords in SQL's own order, such as
 *    `SELECT … FROM`, `INSERT INTO`, `UPDATE x SET`, `ON CONFLICT`, `RETURNING`, `WHERE … $1`, or a
 *    `pg_…(` function).
 *
 * Outside the rule: migrations/ (schema changes are SQL by nature), scripts/ (data-set generators and
 * benches write straight to a database) and test/ (tests set up and inspect rows directly).
 *
 * ALLOWLIST: files that hold SQL outside libs/persistence — none since every file was moved. It may only
 * shrink: a listed file that no longer holds SQL fails this test too.
 */
const ALLOWLIST: Record<string, string> = {};

const ROOT = join(__dirname, '..');
const SCANNED = ['apps', 'libs'];
const EXEMPT = ['libs/persistence/'];

const DATABASE_CALLS = new Set(['query', 'createQueryBuilder', 'getRepository']);
const SQL_SHAPES: [string, RegExp][] = [
  ['SELECT … FROM', /\bSELECT\b[\s\S]*\bFROM\b/],
  ['INSERT INTO', /\bINSERT\s+INTO\b/],
  ['UPDATE … SET', /\bUPDATE\s+\w+(\s+\w+)?\s+SET\b/],
  ['DELETE FROM', /\bDELETE\s+FROM\b/],
  ['ON CONFLICT', /\bON\s+CONFLICT\b/],
  ['RETURNING', /\bRETURNING\b\s+[\w*]/],
  ['WHERE … $n', /\bWHERE\b[\s\S]*\$\d/],
  ['column = $n', /\b\w+\.\w+\s*(=|<>|<=|>=|<|>|\bIN\b)\s*(ANY\s*\()?\$\d/],
  ['pg_ function', /\bpg_\w+\s*\(/],
  ['DDL', /\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|VIEW|SCHEMA)\b|\bTRUNCATE\b/],
  ['transaction control', /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT\s+\w+)\s*;?\s*$/],
];

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** What in this source reads as database access, as "line: what". Comments are not code and are not looked at. */
function sqlIn(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : undefined;
      if (name && DATABASE_CALLS.has(name) && (name !== 'query' || ts.isPropertyAccessExpression(callee)))
        at(node, `${name}(…) call`);
    }
    let literal: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node))
      literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' $1 ');
    if (literal !== undefined) {
      const shape = SQL_SHAPES.find(([, pattern]) => pattern.test(literal));
      if (shape) at(node, `SQL in a string (${shape[0]})`);
      if (ts.isTemplateExpression(node)) return; // its spans' own literals were looked at as one
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no SQL outside libs/persistence', () => {
  const files = SCANNED.flatMap(tsFiles)
    .map((path) => path.split(sep).join('/'))
    .filter((path) => !EXEMPT.some((prefix) => path.startsWith(prefix)));
  const findings = new Map(files.map((path) => [path, sqlIn(path, readFileSync(join(ROOT, path), 'utf8'))]));

  it('scans the applications and libraries (and not libs/persistence)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.startsWith('libs/persistence'))).toBe(false);
  });

  it('finds no database access outside libs/persistence except in the allowlisted files', () => {
    const offending = [...findings]
      .filter(([path, found]) => found.length > 0 && !(path in ALLOWLIST))
      .map(([path, found]) => `${path}\n  ${found.join('\n  ')}`);
    expect(offending).toEqual([]);
  });

  it('keeps the allowlist honest: every listed file exists and still holds SQL (remove it once it does not)', () => {
    const stale = Object.keys(ALLOWLIST).filter((path) => !(findings.get(path)?.length ?? 0));
    expect(stale).toEqual([]);
  });

  it('recognises SQL in code and not in prose or comments', () => {
    const bad = [
      'await manager.query("SELECT 1")',
      'const q = `INSERT INTO emails (id) VALUES ($1)`;',
      "const where = 'ci.id = $1';",
      "const s = 'UPDATE transfers SET version = version + 1';",
      'const t = `SELECT * FROM ${table} WHERE id = ${id}`;',
      'ds.createQueryBuilder().select()',
      'ds.getRepository(AreaEntity).find()',
      "const lock = 'SELECT pg_advisory_xact_lock(42)';",
    ];
    for (const code of bad) expect([code, sqlIn('bad.ts', code).length > 0]).toEqual([code, true]);
    const good = [
      '// SELECT id FROM transfers WHERE id = $1 (a comment)',
      '/** INSERT INTO emails: see libs/persistence */ const a = 1;',
      "const prose = 'Select the team from the list, then update the deadline';",
      "const reason = 'where the family lives';",
      'const q = request.query as Record<string, string>;',
      "const title = 'Returning to the original area';",
      'export function query(x: string) { return x; } query("a");',
    ];
    for (const code of good) expect([code, sqlIn('good.ts', code)]).toEqual([code, []]);
  });
});
