// npm test:      unit/API tests (vitest), then the browser tests (vitest.e2e.config.ts).
// npm run test:e2e (--e2e): the browser tests only; extra arguments go to vitest.
//
// Without Chromium the browser tests are skipped by `npm test` with a loud notice (exit code from
// the unit tests alone); `npm run test:e2e` fails instead, since running them is all it is for.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './build.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** @param {string[]} args @returns {Promise<number>} exit code */
function vitest(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, ...args], { cwd: ROOT, stdio: 'inherit' });
    const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
    child.on('error', (error) => {
      console.error(`could not run vitest: ${error.message}`);
      resolve(1);
    });
  });
}

/** @param {string[]} lines */
function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '#'.repeat(width + 2);
  console.error(['', bar, ...lines.map((l) => `#  ${l.padEnd(width - 4)}  #`), bar, ''].join('\n'));
}

/** @param {boolean} unitTestsRan */
function chromiumMissing(unitTestsRan) {
  if (fs.existsSync(CHROMIUM)) return false;
  banner([
    `BROWSER TESTS ${unitTestsRan ? 'SKIPPED' : 'CANNOT RUN'}: Chromium was not found at ${CHROMIUM}.`,
    unitTestsRan ? 'The unit and API tests ran; the browser (e2e) tests did not.' : 'No browser test ran.',
    'Install Chromium (Debian/Ubuntu):  sudo apt-get install -y chromium',
    'or point CHROMIUM_PATH at a Chromium/Chrome binary, then run:  npm run test:e2e',
  ]);
  return true;
}

const e2eOnly = process.argv.includes('--e2e');
const extra = process.argv.slice(2).filter((a) => a !== '--e2e');
const E2E = ['run', '--config', 'vitest.e2e.config.ts'];

if (e2eOnly) {
  if (chromiumMissing(false)) process.exit(1);
  process.exit(await vitest([...E2E, ...extra]));
}

if (extra.length > 0) {
  console.error(`npm test runs every test and takes no arguments (got: ${extra.join(' ')}).`);
  console.error('Filter with:  npm run test:unit -- <filter>   or   npm run test:e2e -- <filter>');
  process.exit(2);
}

console.error('\n=== Unit and API tests (vitest run) ===\n');
const unit = await vitest(['run']);

let e2e = 0;
let skipped = false;
if (chromiumMissing(true)) skipped = true;
else {
  console.error('\n=== Browser tests (vitest run --config vitest.e2e.config.ts) ===\n');
  e2e = await vitest(E2E);
}

console.error(
  `\nUnit/API tests: ${unit === 0 ? 'passed' : 'FAILED'}; browser tests: ${skipped ? 'SKIPPED (no Chromium, see above)' : e2e === 0 ? 'passed' : 'FAILED'}`,
);
process.exit(unit !== 0 || e2e !== 0 ? 1 : 0);
