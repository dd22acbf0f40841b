import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { hashToken, randomToken } from '../../platform/tokens.js';
import { Redis } from 'ioredis';
import { REDIS_EVENTS_CHANNEL, REDIS_LIVE_CHANNEL } from '../realtime/redis-bus.js';
import { openSocket } from '../realtime/test-support.js';
import { redisReachable, TEST_REDIS_URL } from '../../test/redis.js';

/**
 * Issue 4, point 6: two Baton processes on one PostgreSQL database (as behind a load balancer).
 * A visitor is connected to one, an agent to the other; everything between them crosses through
 * PostgreSQL (LISTEN/NOTIFY and the realtime event log), or Redis for wake-ups and live signals
 * when BATON_REDIS_URL is set (the event log stays in PostgreSQL). Needs a PostgreSQL server: skipped on
 * the embedded database, which one process owns by design.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serverUrl = process.env.DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
}

async function startBatonProcess(env: Record<string, string>): Promise<Child> {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', BATON_DEMO_DATA: 'false', BATON_SMTP_PORT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Baton did not start:\n${output}`)), 90_000);
    const check = () => {
      const match = /Baton is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Baton exited (${code}):\n${output}`));
    });
  });
  return { process: child, url, output: () => output };
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const redisUrl = TEST_REDIS_URL;
const redisUp = await redisReachable();
if (serverUrl && !redisUp) console.warn(`\n*** two-process chat over Redis SKIPPED: no Redis at ${redisUrl} (set TEST_REDIS_URL) ***\n`);

// Both transports of issue 4, point 6: PostgreSQL LISTEN/NOTIFY (the default) and Redis (BATON_REDIS_URL).
for (const transport of ['postgres', 'redis'] as const) {
  describe.skipIf(!serverUrl || (transport === 'redis' && !redisUp))(
    `chat across two Baton processes on one PostgreSQL (${transport === 'redis' ? 'Redis bus' : 'LISTEN/NOTIFY'})`,
    () => {
      const name = `baton_two_${process.pid}_${Date.now()}`;
      let databaseUrl = '';
      let a: Child | undefined;
      let b: Child | undefined;
      let database: DatabaseHandle | undefined;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-two-'));

      beforeAll(async () => {
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(serverUrl!);
        url.pathname = `/${name}`;
        databaseUrl = url.toString();
        const [portA, portB] = [await freePort(), await freePort()];
        // Both processes answer for one public address (the proxy's), so the agent app's Origin is the same on both.
        const common = {
          DATABASE_URL: databaseUrl,
          HOST: '127.0.0.1',
          BATON_PUBLIC_URL: 'http://baton.test',
          BATON_DATA_DIR: dataDir,
          ...(transport === 'redis' ? { BATON_REDIS_URL: redisUrl } : {}),
        };
        a = await startBatonProcess({ ...common, PORT: String(portA) });
        b = await startBatonProcess({ ...common, PORT: String(portB) });
        database = await openDatabase({ databaseUrl, poolSize: 2 });
      }, 200_000);

      afterAll(async () => {
        await stopChild(a);
        await stopChild(b);
        await database?.close();
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }, 60_000);

      it('a visitor on one process and an agent on the other chat live', async () => {
        const db = database!.db;
        // With Redis, the processes' wake-ups and live signals must travel there (not only the poll).
        const onRedis: string[] = [];
        const listener = transport === 'redis' ? new Redis(redisUrl) : undefined;
        if (listener) {
          listener.on('message', (channel: string) => onRedis.push(channel));
          await listener.subscribe(REDIS_EVENTS_CHANNEL, REDIS_LIVE_CHANNEL);
        }
        const ws = await db
          .insertInto('workspaces')
          .values({ name: 'Two', slug: `two-${Date.now()}` })
          .returning('id')
          .executeTakeFirstOrThrow();
        const insertAgent = async (name: string, role: 'admin' | 'agent', presence: 'online' | 'offline') => {
          const agent = await db
            .insertInto('agents')
            .values({
              workspace_id: ws.id,
              email: `${name.toLowerCase()}-${Date.now()}@two.test`,
              name,
              role,
              status: 'active',
              password_hash: 'x',
              presence,
              capacity: 10,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const token = randomToken();
          const csrf = randomToken();
          await db
            .insertInto('agent_sessions')
            .values({
              workspace_id: ws.id,
              agent_id: agent.id,
              token_hash: hashToken(token),
              csrf_token: csrf,
              expires_at: new Date(Date.now() + 3_600_000),
            })
            .execute();
          return { id: agent.id, headers: { cookie: `baton_session=${token}`, 'x-csrf-token': csrf } };
        };
        const admin = await insertAgent('Admin', 'admin', 'offline');
        const agent = await insertAgent('Alex', 'agent', 'offline');
        const team = await db.insertInto('teams').values({ workspace_id: ws.id, name: 'Chat' }).returning('id').executeTakeFirstOrThrow();
        await db.insertInto('team_members').values({ team_id: team.id, agent_id: agent.id, workspace_id: ws.id }).execute();

        const created = await fetch(`${a!.url}/api/v1/chat/sites`, {
          method: 'POST',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Shop', allowed_origins: ['https://shop.two.test'], team_id: team.id }),
        });
        expect(created.status).toBe(201);
        const site = (await created.json()) as { site_key: string };

        // The agent's app is connected to process A; connecting makes them online (stored, so B's assignment sees it).
        const desk = await openSocket(`${a!.url.replace('http', 'ws')}/api/v1/realtime`, { ...agent.headers, origin: 'http://baton.test' });
        await desk.waitFor((m) => m.type === 'welcome');
        await desk.request({ type: 'subscribe', topic: 'inbox' });
        await desk.request({ type: 'resume', last_event_id: null });

        // The visitor's widget is connected to process B.
        const visitor = await openSocket(`${b!.url.replace('http', 'ws')}/api/v1/chat/widget/socket?site=${site.site_key}`, {
          origin: 'https://shop.two.test',
        });
        visitor.send({ type: 'hello' });
        expect(await visitor.waitFor((m) => m.type === 'welcome', 10_000)).toMatchObject({ site: { online: true } });
        expect(await visitor.request({ type: 'start', text: 'Hello from process B', name: 'Vic' })).toMatchObject({
          conversation: { state: 'active' },
        });

        const caseEvent = await desk.waitFor((m) => m.type === 'event' && m.event === 'case.created', 15_000);
        const caseId = caseEvent.case_id as string;
        await desk.request({ type: 'subscribe', topic: 'case', case_id: caseId });

        // Agent (A) replies through the API of A; the visitor (B) receives it live.
        const reply = await fetch(`${a!.url}/api/v1/cases/${caseId}/messages`, {
          method: 'POST',
          headers: { ...agent.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ body: 'Hi Vic, Alex here (process A)', visibility: 'public' }),
        });
        expect(reply.status).toBe(201);
        const got = await visitor.waitFor((m) => m.type === 'message' && (m.message as { from: string }).from === 'agent', 15_000);
        expect(got.message).toMatchObject({ text: 'Hi Vic, Alex here (process A)', author_name: 'Alex' });

        // Visitor (B) writes and types; the agent (A) sees both.
        visitor.send({ type: 'typing' });
        await desk.waitFor((m) => m.type === 'typing' && m.case_id === caseId, 10_000);
        const sent = await visitor.request({ type: 'message', text: 'Thanks, from B' });
        await desk.waitFor(
          (m) =>
            m.type === 'event' && m.event === 'case.message_added' && (m.data as { message_id: string }).message_id === sent.message_id,
          15_000,
        );

        // Agent typing on A shows in the widget on B.
        desk.send({ type: 'typing', case_id: caseId });
        await visitor.waitFor((m) => m.type === 'typing' && m.from === 'agent', 10_000);

        const ids = desk.messages.filter((m) => m.type === 'event').map((m) => m.id as number);
        expect(new Set(ids).size).toBe(ids.length);
        if (listener) {
          expect(onRedis).toContain(REDIS_EVENTS_CHANNEL);
          expect(onRedis).toContain(REDIS_LIVE_CHANNEL);
          await listener.quit();
        }
        await visitor.close();
        await desk.close();
      }, 120_000);
    },
  );
}
