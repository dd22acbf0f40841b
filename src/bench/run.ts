/**
 * `npm run bench [-- NAME...]`: starts Baton on the bench database (DATABASE_URL, seeded by
 * `npm run seed:large`), runs the named scenarios (default: all) with load from a separate
 * process, prints a table and writes bench/results/<scenario>.json.
 *
 * Environment: DATABASE_URL (required), BENCH_SECONDS per step (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_PORT (3999), BENCH_SMTP_PORT (3998), BENCH_LOG_LEVEL (warn), BENCH_ENTRY (dist/server/main.js: build
 * it first); email: BENCH_EMAIL_MESSAGES (10000), BENCH_EMAIL_CONNECTIONS (8), BENCH_EMAIL_ACK (true);
 * chat: BENCH_CHAT_CONNECTIONS (10000), BENCH_CHAT_RATE (1000 messages/s), BENCH_CHAT_CHATTING (1.1 x rate).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runLoadChild } from './child-runner.js';
import { runChatScenario, type ChatBenchResult } from './chat.js';
import { runEmailScenario, type EmailBenchResult } from './email.js';
import { runLimit } from './limit.js';
import type { LoadResult, LoadSpec } from './load.js';
import { SEED_INFO_FILE, type SeedInfo } from './seed-info.js';
import { startServer, type ServerHandle } from './server-process.js';
import { relayBacklog, waitForRelay } from './relay-backlog.js';

const SCENARIOS = ['create', 'limit', 'inbox', 'case', 'search', 'email', 'chat'] as const;
type Scenario = (typeof SCENARIOS)[number];
type HttpScenario = Exclude<Scenario, 'email' | 'chat'>;
const CONCURRENCY: Record<HttpScenario, number[]> = {
  create: [1, 10, 50],
  limit: [1, 10, 50],
  inbox: [1, 10],
  case: [1, 10],
  search: [1, 10],
};
const RESULTS_DIR = path.resolve('bench/results');
const ENTRY = path.resolve(process.env.BENCH_ENTRY ?? 'dist/server/main.js');

interface Step extends LoadResult {
  scenario: HttpScenario;
  connections: number;
  seconds: number;
  cpuPercent: number;
  peakRssMb: number;
  /** create: events the relay had not handled when the step ended, and the seconds it then took. */
  relayBacklog?: number;
  relayCatchUpSeconds?: number;
}

/** Requests over the load time plus the time the relay then needed to finish their work. */
function sustained(step: Step): number {
  return step.requests / (step.seconds + (step.relayCatchUpSeconds ?? 0));
}

function runLoadProcess(spec: LoadSpec, onStart: () => void): Promise<LoadResult> {
  return runLoadChild<LoadResult>('src/bench/load.ts', spec, onStart);
}

async function measure(
  server: ServerHandle,
  work: (onStart: () => void) => Promise<LoadResult>,
): Promise<{ result: LoadResult; cpuPercent: number; peakRssMb: number }> {
  let cpu0 = server.cpuSeconds();
  let t0 = performance.now();
  // The load process reports when it is up: its own start-up is not part of the window.
  const result = await work(() => {
    cpu0 = server.cpuSeconds();
    t0 = performance.now();
  });
  const wall = (performance.now() - t0) / 1000;
  return { result, cpuPercent: (100 * (server.cpuSeconds() - cpu0)) / wall, peakRssMb: server.peakRssMb() };
}

async function prepare(scenario: Scenario, db: pg.Pool, server: ServerHandle, seed: SeedInfo): Promise<Partial<LoadSpec>> {
  if (scenario === 'case') {
    const rows = await db.query<{ id: string; customer_id: string }>(
      'select id, customer_id from cases where workspace_id = $1 order by random() limit 500',
      [seed.workspace_id],
    );
    return { cases: rows.rows.map((r) => ({ id: r.id, customerId: r.customer_id })) };
  }
  if (scenario === 'inbox') {
    const res = await fetch(`${server.url}/api/v1/cases?status=open,pending&sort=updated_desc&limit=25`, {
      headers: { authorization: `Bearer ${seed.api_token}` },
    });
    const body = (await res.json()) as { next_cursor?: string | null };
    if (!res.ok || !body.next_cursor) throw new Error(`inbox: no second page (HTTP ${res.status}); seed more cases`);
    return { cursor: body.next_cursor };
  }
  return {};
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function printTable(steps: Step[]): void {
  const header = ['scenario', 'conc', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'non2xx', 'CPU %', 'peak RSS MB'];
  const rows = steps.map((s) => [
    s.scenario,
    String(s.connections),
    fmt(s.throughput),
    fmt(s.p50),
    fmt(s.p95),
    fmt(s.p99),
    String(s.errors),
    String(s.non2xx),
    fmt(s.cpuPercent, 0),
    fmt(s.peakRssMb, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log([line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n'));
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('Set DATABASE_URL to the bench database (seeded with npm run seed:large).');
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:server first.`);
  if (!fs.existsSync(SEED_INFO_FILE)) throw new Error(`${SEED_INFO_FILE} is missing: run npm run seed:large first.`);
  const seed = JSON.parse(fs.readFileSync(SEED_INFO_FILE, 'utf8')) as SeedInfo;
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`Unknown scenario(s) ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const scenarios = (names.length ? names : [...SCENARIOS]) as Scenario[];
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
  const port = Number(process.env.BENCH_PORT ?? 3999);
  const smtpPort = Number(process.env.BENCH_SMTP_PORT ?? 3998);
  const drainSeconds = Number(process.env.BENCH_DRAIN_SECONDS ?? 600);

  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const agent = await db.query<{ id: string }>('select id from agents where email = $1', [seed.admin_email]);
  const adminId = agent.rows[0]?.id;
  if (!adminId) throw new Error(`No agent ${seed.admin_email} in this database: is DATABASE_URL the seeded one?`);
  const counts = await db.query<{ cases: number; messages: number }>(
    'select (select count(*) from cases where workspace_id = $1)::int as cases, (select count(*) from messages where workspace_id = $1)::int as messages',
    [seed.workspace_id],
  );

  // The chat scenario's visitors each come from their own address, as behind a proxy (per-address
  // limits apply per visitor); the load generators are the only clients on loopback.
  process.env.BATON_TRUST_PROXY ??= '127.0.0.1';
  const server = await startServer({ databaseUrl, port, smtpPort, entry: ENTRY });
  console.log(
    `Baton ready in ${server.startupMs.toFixed(0)} ms on ${counts.rows[0]!.cases} cases / ${counts.rows[0]!.messages} messages (${seconds} s per step)`,
  );
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'startup.json'),
    JSON.stringify(
      {
        startup_ms: Math.round(server.startupMs),
        rss_mb_after_start: Math.round(server.peakRssMb()),
        ...counts.rows[0],
        measured_at: new Date().toISOString(),
      },
      null,
      2,
    ) + '\n',
  );
  const all: Step[] = [];
  let email: EmailBenchResult | undefined;
  let chat: ChatBenchResult | undefined;
  // Each scenario starts once Baton has finished the work earlier load left it (see relay-backlog.ts).
  const settle = async (before: string) => {
    const backlog = await relayBacklog(db);
    if (backlog === 0) return;
    const drained = await waitForRelay(db, drainSeconds);
    console.log(
      `(before ${before}: the relay handled a backlog of ${backlog} events in ${fmt(drained.seconds)} s` +
        (drained.left > 0 ? `; ${drained.left} left after BENCH_DRAIN_SECONDS=${drainSeconds}` : '') +
        ')',
    );
  };
  try {
    for (const scenario of scenarios) {
      await settle(scenario);
      if (scenario === 'email') {
        email = await runEmailScenario(db, server, smtpPort, seed.api_token);
        writeEmailResult(email, counts.rows[0]!.cases);
        continue;
      }
      if (scenario === 'chat') {
        chat = await runChatScenario(server, seed.api_token, async () => (await waitForRelay(db, drainSeconds)).seconds);
        writeChatResult(chat);
        continue;
      }
      const extra = await prepare(scenario, db, server, seed);
      const spec = (connections: number, secs: number): LoadSpec => ({
        url: server.url,
        token: seed.api_token,
        connections,
        seconds: secs,
        kind: scenario as LoadSpec['kind'],
        ...extra,
      });
      const load = (connections: number, secs: number, onStart: () => void = () => undefined) =>
        scenario === 'limit'
          ? runLimit(databaseUrl, seed.workspace_id, adminId, connections, secs)
          : runLoadProcess(spec(connections, secs), onStart);
      if (warmup > 0) await load(10, warmup);
      const steps: Step[] = [];
      for (const connections of CONCURRENCY[scenario]) {
        await settle(`${scenario} c=${connections}`);
        const { result, cpuPercent, peakRssMb } = await measure(server, (onStart) => load(connections, seconds, onStart));
        const step: Step = { scenario, connections, seconds, ...result, cpuPercent, peakRssMb };
        if (scenario === 'create') {
          // What the requests left for the relay: the rate Baton sustains counts that work too.
          step.relayBacklog = await relayBacklog(db);
          step.relayCatchUpSeconds = (await waitForRelay(db, drainSeconds)).seconds;
        }
        steps.push(step);
        console.log(
          `${scenario} c=${connections}: ${fmt(step.throughput)} req/s, p50 ${fmt(step.p50)} ms, p95 ${fmt(step.p95)} ms, p99 ${fmt(step.p99)} ms, errors ${step.errors}, non2xx ${step.non2xx}` +
            (step.relayBacklog !== undefined
              ? `; relay backlog ${step.relayBacklog} events, caught up in ${fmt(step.relayCatchUpSeconds ?? 0)} s (sustained ${fmt(sustained(step))} cases/s)`
              : ''),
        );
      }
      fs.writeFileSync(
        path.join(RESULTS_DIR, `${scenario}.json`),
        JSON.stringify(
          {
            scenario,
            measured_at: new Date().toISOString(),
            database: 'postgresql',
            cases_in_workspace: counts.rows[0]!.cases,
            note:
              scenario === 'limit'
                ? 'pg client in the runner process, no HTTP; server CPU/RSS are the idle Baton'
                : 'load from a separate autocannon process',
            steps: steps.map((s) => ({
              connections: s.connections,
              seconds: s.seconds,
              requests: s.requests,
              throughput: Number(s.throughput.toFixed(1)),
              p50_ms: s.p50,
              p95_ms: s.p95,
              p99_ms: s.p99,
              max_ms: s.max,
              errors: s.errors,
              non2xx: s.non2xx,
              status_codes: s.statusCodes,
              server_cpu_percent: Math.round(s.cpuPercent),
              server_peak_rss_mb: Math.round(s.peakRssMb),
              ...(s.relayBacklog !== undefined
                ? {
                    relay_backlog_events: s.relayBacklog,
                    relay_catch_up_s: Number((s.relayCatchUpSeconds ?? 0).toFixed(1)),
                    sustained_per_s: Number(sustained(s).toFixed(1)),
                  }
                : {}),
            })),
          },
          null,
          2,
        ) + '\n',
      );
      all.push(...steps);
    }
  } finally {
    await server.stop();
    await db.end();
  }
  console.log(`\nstart-up to ready: ${server.startupMs.toFixed(0)} ms`);
  if (all.length > 0) printTable(all);
  if (email) printEmail(email);
  if (chat) printChat(chat);
}

function writeChatResult(result: ChatBenchResult): void {
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'chat.json'),
    JSON.stringify(
      {
        scenario: 'chat',
        measured_at: new Date().toISOString(),
        database: 'postgresql',
        note: 'widget and agent sockets from a separate process; latency = agent socket receives case.message_added - visitor sends',
        ...result,
        connectSeconds: Number(result.connectSeconds.toFixed(1)),
        sendSeconds: Number(result.sendSeconds.toFixed(1)),
        messagesPerSecond: Number(result.messagesPerSecond.toFixed(1)),
      },
      null,
      2,
    ) + '\n',
  );
}

function printChat(r: ChatBenchResult): void {
  console.log(
    `\nchat: ${r.connectionsHeld}/${r.connections} widget sockets held (opened in ${fmt(r.connectSeconds)} s, ${r.connectFailures} failed), ` +
      `${fmt(r.memoryPerConnectionKb, 0)} KB server memory each (RSS ${r.rssBeforeMb} -> ${r.rssHeldMb} MB); ` +
      `${r.chatsStarted} chats (their relay work done ${fmt(r.relayCatchUpSeconds)} s later) sending ${r.rate} msg/s: ${r.delivered}/${r.sent} delivered to the agent (${fmt(r.messagesPerSecond)} msg/s, refused ${r.refused}), ` +
      `latency p50 ${fmt(r.latencyMs.p50)} ms, p95 ${fmt(r.latencyMs.p95)} ms, p99 ${fmt(r.latencyMs.p99)} ms, max ${fmt(r.latencyMs.max)} ms ` +
      `(committed: p50 ${fmt(r.ackMs.p50)} ms, p99 ${fmt(r.ackMs.p99)} ms); ` +
      `server CPU ${r.cpuPercent} %, peak RSS ${r.peakRssMb} MB; the relay's listeners done ${fmt(r.relayCatchUpAfterSeconds)} s after the load` +
      (Object.keys(r.errors).length ? `; errors ${JSON.stringify(r.errors)}` : ''),
  );
}

function writeEmailResult(result: EmailBenchResult, cases: number): void {
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'email.json'),
    JSON.stringify(
      {
        scenario: 'email',
        measured_at: new Date().toISOString(),
        database: 'postgresql',
        cases_in_workspace: cases,
        note: 'SMTP load from a separate nodemailer process; throughput = processed / (first send -> last committed); latency = stored -> committed',
        ...result,
        messagesPerSecond: Number(result.messagesPerSecond.toFixed(1)),
        smtpAcceptPerSecond: Number(result.smtpAcceptPerSecond.toFixed(1)),
      },
      null,
      2,
    ) + '\n',
  );
}

function printEmail(r: EmailBenchResult): void {
  console.log(
    `\nemail: ${r.processed}/${r.accepted} accepted messages committed in ${fmt(r.seconds)} s = ${fmt(r.messagesPerSecond)} msg/s ` +
      `(SMTP accepted ${fmt(r.smtpAcceptPerSecond)} msg/s; refused ${r.refused}; quarantined/ignored ${r.quarantined}); ` +
      `intake latency p50 ${fmt(r.latencyMs.p50)} ms, p95 ${fmt(r.latencyMs.p95)} ms, p99 ${fmt(r.latencyMs.p99)} ms; ` +
      `server CPU ${fmt(r.cpuPercent, 0)} %, peak RSS ${fmt(r.peakRssMb, 0)} MB, RSS samples ${r.rssSamplesMb.join(' ')} MB`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
