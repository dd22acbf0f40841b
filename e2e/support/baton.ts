import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { serverNodeArgs } from '../../src/config/heap-limit.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');
const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export interface StartOptions {
  /** Load the demo workspace (logins printed at start). Default false: tests create what they need. */
  demoData?: boolean;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
}

export interface BatonUnderTest {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Port of Baton's SMTP server on 127.0.0.1. */
  smtpPort: number;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its data directory / database. */
  stop(): Promise<void>;
}

let launches = 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh database on the E2E_DATABASE_URL server, dropped by stop(). */
async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `baton_e2e_${process.pid}_${Date.now()}_${++launches}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the built server (dist/server/main.js, as `npm start` runs it) on a free port with a
 * fresh embedded database in a temp directory, or a fresh database on the PostgreSQL server
 * named by E2E_DATABASE_URL. Resolves once it prints "Baton is running at <url>".
 */
export async function startBatonForTest(options: StartOptions = {}): Promise<BatonUnderTest> {
  if (!fs.existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} does not exist: build first (npm run build), or run the browser tests with npm run test:e2e`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-e2e-'));
  const serverDatabase = process.env.E2E_DATABASE_URL ? await createServerDatabase(process.env.E2E_DATABASE_URL) : undefined;
  const port = await freePort();
  const smtpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: process.env.TZ,
    PORT: String(port),
    HOST: '127.0.0.1',
    BATON_DATA_DIR: dataDir,
    BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
    BATON_DEMO_DATA: options.demoData ? 'true' : 'false',
    BATON_SMTP_PORT: String(smtpPort),
    BATON_MAIL_AUTH_CHECKS: 'false',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    ...(serverDatabase ? { DATABASE_URL: serverDatabase.url } : {}),
    ...options.env,
  };
  // With npm start's heap cap, so the browser tests run the server as users do.
  const child = spawn(process.execPath, ['--enable-source-maps', ...serverNodeArgs(env), SERVER_ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      await serverDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Baton did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
      const onData = () => {
        const match = /Baton is running at (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Baton exited during start-up (${signal ?? `exit code ${code}`})`));
      });
    });
    return { url, smtpPort, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`, { cause: error });
  }
}
