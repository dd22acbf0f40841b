import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');

/** `npm start` on a machine where the SMTP port is taken must say so and how to fix it. */
describe('SMTP port already in use', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-smtp-port-e2e-'));
  const blocker = net.createServer();

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits with a clear message naming BATON_SMTP_PORT', async () => {
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        BATON_SMTP_PORT: String(taken),
        BATON_DATA_DIR: dataDir,
        BATON_DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output).toContain(`Baton's SMTP server cannot listen on 127.0.0.1:${taken} (the port is in use)`);
    expect(output).toContain('BATON_SMTP_PORT=off');
    expect(output).not.toMatch(/^\s+at /m);
  });
});
