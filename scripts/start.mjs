// npm start: builds Baton when dist/ is missing or older than the sources, then runs the
// compiled server (node dist/server/main.js) with this process's arguments and environment.
// Signals are forwarded so that Ctrl-C, `kill` and process managers stop Baton cleanly.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, killBuildStep, SERVER_ENTRY } from './build.mjs';

/** @type {NodeJS.Signals[]} */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** @type {import('node:child_process').ChildProcess | undefined} */
let server;
/** @type {NodeJS.Signals | undefined} */
let stopRequested;

/** @param {NodeJS.Signals} signal */
function stop(signal) {
  stopRequested = signal;
  if (server) server.kill(signal);
  else killBuildStep(signal);
}
for (const signal of FORWARDED) process.on(signal, () => stop(signal));

// `npm start` runs this script through `sh -c`, which dies on SIGTERM without passing it on
// (e.g. `docker stop`, `kill <npm pid>`): losing the parent means being asked to stop.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !stopRequested) stop('SIGTERM');
}, 500).unref();

/** Exits the way the child did: same code, or the same signal. */
function exitLike(/** @type {number | null} */ code, /** @type {NodeJS.Signals | null} */ signal) {
  if (signal) {
    for (const s of FORWARDED) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    // Signals without a default "terminate" action: fall back to the conventional code.
    setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 100).unref();
    return;
  }
  process.exit(code ?? 1);
}

try {
  await ensureBuilt();
} catch (error) {
  if (!stopRequested) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    console.error('[start] Baton was not started: the build failed (see above).');
    process.exit(1);
  }
}

if (stopRequested) {
  // Stopped while building: do not start the server.
  exitLike(null, stopRequested);
} else {
  // The heap cap lives with the server's configuration (src/config/heap-limit.ts). A bad
  // BATON_HEAP_MB starts the server without a cap so that it reports the value with every other
  // configuration problem and exits.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- a module of the build output, typed by the cast
  const heapLimit =
    /** @type {{ heapLimitProblem(raw: string | undefined): string | undefined, serverNodeArgs(env: NodeJS.ProcessEnv): string[] }} */ (
      await import(pathToFileURL(path.join(path.dirname(SERVER_ENTRY), 'config', 'heap-limit.js')).href)
    );
  const nodeArgs = heapLimit.heapLimitProblem(process.env.BATON_HEAP_MB) ? [] : heapLimit.serverNodeArgs(process.env);
  server = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, SERVER_ENTRY, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: process.env,
  });
  server.on('error', (error) => {
    console.error(`[start] could not run ${SERVER_ENTRY}: ${error.message}`);
    process.exit(1);
  });
  server.on('exit', exitLike);
}
