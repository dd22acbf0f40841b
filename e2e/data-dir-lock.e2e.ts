import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');

function startProcess(dataDir: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      BATON_SMTP_PORT: '0',
      BATON_DATA_DIR: dataDir,
      BATON_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Two PGlite processes on one directory corrupt it: the second must be refused, clearly. */
describe('one process per embedded data directory', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-lock-e2e-'));
  const running: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of running) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process with a clear message, and the first keeps serving', async () => {
    const first = startProcess(dataDir);
    running.push(first.child);
    await expect.poll(first.output, { timeout: 90_000, interval: 200 }).toMatch(/Baton is running at http:\/\/\S+/);
    const url = /Baton is running at (http:\/\/\S+)/.exec(first.output())![1]!;

    const second = startProcess(dataDir);
    running.push(second.child);
    expect(await second.exited).toBe(3);
    expect(second.output()).toMatch(/already in use by another Baton process \(pid \d+/);
    expect(second.output()).toMatch(/DATABASE_URL/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);

    // After a clean shutdown the directory is free again.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const third = startProcess(dataDir);
    running.push(third.child);
    await expect.poll(third.output, { timeout: 90_000, interval: 200 }).toMatch(/Baton is running at/);
  });
});
