// Builds Baton: the server (tsc -> dist/server), the agent web app (vite -> dist/web) and the chat
// widget (vite -> dist/widget, at most 60 KB gzipped).
//
//   node scripts/build.mjs             build now (npm run build)
//   node scripts/build.mjs --if-stale  build only when the sources changed since the last build
//
// Plain JavaScript so that `npm start` works with nothing but Node after `npm install`.
// A stamp file (dist/.build-stamp) records a fingerprint of the sources the build read; a build
// is stale when any source file was added, removed or modified since (newer mtime or other size).
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const LOCK = path.join(DIST, '.build-lock');
export const SERVER_ENTRY = path.join(DIST, 'server', 'main.js');
const WEB_CONFIG = path.join(ROOT, 'web', 'vite.config.ts');
const WIDGET_CONFIG = path.join(ROOT, 'web', 'widget', 'vite.config.ts');
export const WIDGET_DIST = path.join(DIST, 'widget');
/** The chat widget's scripts and their budget (issue 4: under 60 KB gzipped, checked on every build). */
export const WIDGET_FILES = ['loader.js', 'frame.js'];
export const WIDGET_BUDGET_BYTES = 60 * 1024;

/** Folders and files whose changes require a new build. */
const SOURCE_DIRS = ['src', 'web', 'migrations'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Not part of the build output: changing them must not trigger a rebuild. */
const SKIPPED = /(^|[\\/])(node_modules|dist|\.vite)([\\/]|$)|\.test\.tsx?$|^src[\\/]test[\\/]/;

/**
 * @param {string} rel
 * @param {string[]} out
 */
function listFiles(rel, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = path.join(rel, entry.name);
    if (SKIPPED.test(child)) continue;
    if (entry.isDirectory()) listFiles(child, out);
    else if (entry.isFile()) out.push(child);
  }
}

/** Fingerprint of every source file (path, mtime, size) and the newest mtime among them. */
export function sourceFingerprint() {
  /** @type {string[]} */
  const files = [];
  for (const dir of SOURCE_DIRS) listFiles(dir, files);
  for (const file of SOURCE_FILES) if (fs.existsSync(path.join(ROOT, file))) files.push(file);
  files.sort();
  const hash = crypto.createHash('sha256');
  let newest = 0;
  for (const file of files) {
    const stat = fs.statSync(path.join(ROOT, file));
    newest = Math.max(newest, stat.mtimeMs);
    hash.update(`${file}\0${stat.mtimeMs}\0${stat.size}\n`);
  }
  return { fingerprint: hash.digest('hex'), newestMtimeMs: newest, fileCount: files.length };
}

/** Why a build is needed, or undefined when dist/ is up to date. */
export function staleReason() {
  if (!fs.existsSync(SERVER_ENTRY)) return 'dist/server is missing';
  // A deployment that ships dist/ without the sources runs what it has.
  if (!fs.existsSync(path.join(ROOT, 'src'))) return undefined;
  if (!fs.existsSync(path.join(DIST, 'web', 'index.html'))) return 'dist/web is missing';
  if (WIDGET_FILES.some((name) => !fs.existsSync(path.join(WIDGET_DIST, name)))) return 'dist/widget is missing';
  /** @type {unknown} */
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return 'no build stamp';
  }
  const recorded = typeof stamp === 'object' && stamp !== null && 'fingerprint' in stamp ? stamp.fingerprint : undefined;
  if (recorded !== sourceFingerprint().fingerprint) return 'sources changed since the last build';
  return undefined;
}

/** @type {import('node:child_process').ChildProcess | undefined} */
let currentStep;

/** Stops a running build step (used by scripts/start.mjs when it receives a signal). */
export function killBuildStep(/** @type {NodeJS.Signals} */ signal) {
  currentStep?.kill(signal);
}

/**
 * Runs a package's command-line script with this Node (no npx, no PATH lookups).
 * @param {string} label
 * @param {string} script path relative to the repository root
 * @param {string[]} args
 */
function runStep(label, script, args) {
  const started = Date.now();
  console.error(`[build] ${label}`);
  if (!fs.existsSync(path.join(ROOT, script))) {
    const missing = script.split('/')[1];
    return Promise.reject(
      new Error(
        `${label}: ${script} is missing; the build needs the dev dependencies (${missing}): run \`npm install\` (without --omit=dev)`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, stdio: 'inherit' });
    currentStep = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      currentStep = undefined;
      if (code === 0) {
        console.error(`[build] ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve(undefined);
      } else reject(new Error(`${label} failed (${signal ? `signal ${signal}` : `exit code ${code}`})`));
    });
  });
}

/** Builds the server and the web app, then writes the stamp. */
export async function build() {
  // Fingerprint taken before compiling: a file edited during the build makes the next start rebuild.
  const sources = sourceFingerprint();
  fs.rmSync(STAMP, { force: true });
  // Compiled files of deleted sources must not linger.
  fs.rmSync(path.join(DIST, 'server'), { recursive: true, force: true });
  await runStep('server: tsc -p tsconfig.build.json', 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
  if (!fs.existsSync(WEB_CONFIG)) throw new Error(`web app: ${path.relative(ROOT, WEB_CONFIG)} not found; cannot build the agent web app`);
  await runStep('web app: vite build --config web/vite.config.ts', 'node_modules/vite/bin/vite.js', [
    'build',
    '--config',
    'web/vite.config.ts',
  ]);
  if (!fs.existsSync(WIDGET_CONFIG)) throw new Error(`chat widget: ${path.relative(ROOT, WIDGET_CONFIG)} not found`);
  fs.rmSync(WIDGET_DIST, { recursive: true, force: true });
  for (const mode of ['loader', 'frame']) {
    await runStep(`chat widget: vite build --config web/widget/vite.config.ts --mode ${mode}`, 'node_modules/vite/bin/vite.js', [
      'build',
      '--config',
      'web/widget/vite.config.ts',
      '--mode',
      mode,
    ]);
  }
  checkWidgetSize();
  fs.writeFileSync(STAMP, JSON.stringify({ builtAt: new Date().toISOString(), ...sources }, null, 2) + '\n');
}

/**
 * Fails the build (and so CI) when the widget's scripts together exceed the budget gzipped: every
 * site that embeds the chat downloads them.
 */
export function checkWidgetSize() {
  let total = 0;
  const sizes = WIDGET_FILES.map((name) => {
    const bytes = zlib.gzipSync(fs.readFileSync(path.join(WIDGET_DIST, name)), { level: 9 }).length;
    total += bytes;
    return `${name} ${(bytes / 1024).toFixed(1)} KB`;
  });
  const summary = `chat widget gzipped: ${sizes.join(', ')}, total ${(total / 1024).toFixed(1)} KB of ${WIDGET_BUDGET_BYTES / 1024} KB`;
  if (total > WIDGET_BUDGET_BYTES) throw new Error(`${summary}: over the budget`);
  console.error(`[build] ${summary}`);
  return total;
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/** Several processes started together (npm start of each role) must not build into dist/ at once. */
async function withBuildLock(/** @type {() => Promise<void>} */ fn) {
  fs.mkdirSync(DIST, { recursive: true });
  let waiting = false;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(LOCK, 'utf8'));
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        fs.rmSync(LOCK, { force: true });
        continue;
      }
      if (!waiting) console.error(`[build] waiting for another build (pid ${holder}) to finish`);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await fn();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/** Builds when dist/ is missing or older than the sources. */
export async function ensureBuilt() {
  if (staleReason() === undefined) return;
  await withBuildLock(async () => {
    // Another process may have built while this one waited for the lock.
    const reason = staleReason();
    if (reason === undefined) return;
    const started = Date.now();
    console.error(`[build] building Baton (${reason}); this takes up to a minute`);
    await build();
    console.error(`[build] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  (ifStale ? ensureBuilt() : withBuildLock(build)).then(
    () => process.exit(0),
    (/** @type {unknown} */ error) => {
      console.error(`[build] ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
