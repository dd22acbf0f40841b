import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { freePort } from './support/baton.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');
const BURST = 120;
const KILL_AFTER_ACCEPTED = 40;

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startServer(dataDir: string, port: number, smtpPort: number): Server {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      BATON_SMTP_PORT: String(smtpPort),
      BATON_MAIL_AUTH_CHECKS: 'false',
      BATON_DATA_DIR: dataDir,
      BATON_DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

async function ready(server: Server): Promise<string> {
  await expect.poll(server.output, { timeout: 90_000, interval: 200 }).toMatch(/Baton is running at http:\/\/\S+/);
  return /Baton is running at (http:\/\/\S+)/.exec(server.output())![1]!;
}

/**
 * CONVENTIONS.md: accepted mail is never lost. A burst of messages goes into Baton's SMTP server;
 * the process is killed with SIGKILL mid-burst and started again on the same embedded database.
 * Every message that got a 250 must end up in a case exactly once (none lost, none doubled).
 */
describe('email intake survives a crash', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-crash-e2e-'));
  const running: Server[] = [];

  afterAll(async () => {
    for (const server of running) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every message that got 250 exactly once across a SIGKILL', async () => {
    const port = await freePort();
    const smtpPort = await freePort();
    const first = startServer(dataDir, port, smtpPort);
    running.push(first);
    await ready(first);

    const accepted: string[] = [];
    let killed = false;
    const send = async (i: number) => {
      const messageId = `<crash-${i}-${Date.now()}@customers.example>`;
      // One connection per message, so a kill cuts few conversations short.
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      try {
        await transport.sendMail({
          from: `Customer ${i} <crash-${i}@customers.example>`,
          to: 'billing@demo.test',
          subject: `Charged twice, message ${i}`,
          messageId,
          text: `Hello, my card was charged twice for invoice INV-${1000 + i}. Please refund one payment.`,
        });
        accepted.push(messageId.slice(1, -1));
      } catch {
        // Refused or cut off by the kill: the sender would retry; it may or may not be stored.
      } finally {
        transport.close();
      }
      if (!killed && accepted.length >= KILL_AFTER_ACCEPTED) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < BURST) await send(next++);
      }),
    );
    await first.exited;
    expect(killed).toBe(true);
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);

    // Same database, same ports: the restarted worker finishes what the killed one left.
    const second = startServer(dataDir, port, smtpPort);
    running.push(second);
    const url = await ready(second);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.test', password: 'baton-demo' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('baton_session='))!
      .split(';')[0]!;
    await expect
      .poll(
        async () => {
          const res = await fetch(`${url}/api/v1/inbound-mail?status=received&limit=10`, { headers: { cookie } });
          return ((await res.json()) as { items: unknown[] }).items.length;
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe(0);
    second.child.kill('SIGTERM');
    await second.exited;

    const database = await openDatabase({ dataDir });
    try {
      const stored = await database.db
        .selectFrom('inbound_mail')
        .select(['message_id_header', 'status', 'case_id', 'message_id'])
        .where('message_id_header', 'like', 'crash-%')
        .execute();
      const messages = await sql<{ id: string; count: number }>`
        select metadata->'email'->>'message_id' as id, count(*)::int as count from messages
         where metadata->'email'->>'message_id' like 'crash-%' group by 1`.execute(database.db);
      const messageCount = new Map(messages.rows.map((r) => [r.id, r.count]));
      for (const id of accepted) {
        const rows = stored.filter((r) => r.message_id_header === id);
        expect(rows, `inbound_mail rows for ${id}`).toHaveLength(1);
        expect(rows[0]!.status, `status of ${id}`).toBe('processed');
        expect(rows[0]!.case_id).not.toBeNull();
        expect(messageCount.get(id), `case messages for ${id}`).toBe(1);
      }
      // Nothing is doubled either among the messages whose 250 the kill cut off.
      for (const [id, count] of messageCount) expect(count, `case messages for ${id}`).toBe(1);
    } finally {
      await database.close();
    }
  });
});
