// The browser tests drive Debian's Chromium (/usr/bin/chromium) — never a downloaded browser. A fresh
// machine of this kind does not have it yet: install it from Debian's packages when we can (root, apt-get),
// otherwise say exactly what to do. Run by `npm test` (pretest) and by .ci/run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(
    `The browser tests need Chromium at ${CHROMIUM}. Install Debian's package (as root: apt-get update && apt-get install -y chromium).`,
  );
  process.exit(1);
}
console.log(`Chromium is missing at ${CHROMIUM}: installing Debian's chromium package (once per machine)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
} catch (error) {
  console.error(
    `Installing chromium failed (${error.message}). Install it by hand: apt-get update && apt-get install -y chromium`,
  );
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  process.exit(1);
}
