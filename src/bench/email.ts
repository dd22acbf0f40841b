/**
 * The `email` scenario of `npm run bench`: end-to-end intake (SMTP DATA accepted → case and
 * message committed) of BENCH_EMAIL_MESSAGES mails (10,000) sent by a separate process over
 * BENCH_EMAIL_CONNECTIONS SMTP connections into a new mailbox of the seeded workspace.
 * Throughput is accepted messages over the time from the first send to the last committed case
 * message; latency per message is processed_at - received_at; memory is sampled while it runs.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { runLoadChild } from './child-runner.js';
import type { EmailLoadResult, EmailLoadSpec } from './email-load.js';
import { percentile } from './load.js';
import type { ServerHandle } from './server-process.js';

export interface EmailBenchResult {
  messages: number;
  accepted: number;
  refused: number;
  processed: number;
  quarantined: number;
  seconds: number;
  messagesPerSecond: number;
  smtpAcceptPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  cpuPercent: number;
  peakRssMb: number;
  rssSamplesMb: number[];
  errors: Record<string, number>;
}

function readRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export async function runEmailScenario(db: pg.Pool, server: ServerHandle, smtpPort: number, token: string): Promise<EmailBenchResult> {
  const messages = Number(process.env.BENCH_EMAIL_MESSAGES ?? 10_000);
  const connections = Number(process.env.BENCH_EMAIL_CONNECTIONS ?? 8);
  const runId = Date.now().toString(36);
  const address = `bench-${runId}@bench.test`;
  const created = await fetch(`${server.url}/api/v1/mailboxes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${runId}` },
    body: JSON.stringify({ address, name: 'Bench intake', category: 'billing', acknowledge: process.env.BENCH_EMAIL_ACK !== 'false' }),
  });
  if (created.status !== 201) throw new Error(`email: creating the mailbox answered ${created.status}: ${await created.text()}`);
  const mailbox = (await created.json()) as { id: string };

  const pid = server.child.pid!;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(readRssMb(pid)), 500);
  let cpu0 = server.cpuSeconds();
  let t0 = Date.now();
  const spec: EmailLoadSpec = {
    host: '127.0.0.1',
    port: smtpPort,
    to: address,
    messages,
    connections,
    senders: Math.max(1, Math.floor(messages / 4)),
    runId,
  };
  const load = await runLoadChild<EmailLoadResult>('src/bench/email-load.ts', spec, () => {
    cpu0 = server.cpuSeconds();
    t0 = Date.now();
  });
  // Wait until every accepted message is committed as a case message (or quarantined).
  const deadline = Date.now() + 10 * 60_000;
  let done: { processed: number; quarantined: number; last: Date | null };
  for (;;) {
    const row = await db.query<{ processed: number; quarantined: number; last: Date | null }>(
      `select count(*) filter (where status = 'processed')::int as processed,
              count(*) filter (where status in ('quarantined', 'ignored'))::int as quarantined,
              max(processed_at) as last
         from inbound_mail where mailbox_id = $1`,
      [mailbox.id],
    );
    done = row.rows[0]!;
    if (done.processed + done.quarantined >= load.accepted || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  clearInterval(sampler);
  const cpuSeconds = server.cpuSeconds() - cpu0;
  const lat = await db.query<{ ms: number }>(
    `select extract(epoch from (processed_at - received_at)) * 1000 as ms from inbound_mail
      where mailbox_id = $1 and processed_at is not null order by 1`,
    [mailbox.id],
  );
  const latencies = lat.rows.map((r) => Number(r.ms));
  const end = done.last ? done.last.getTime() : Date.now();
  const seconds = (end - t0) / 1000;
  return {
    messages,
    accepted: load.accepted,
    refused: load.refused,
    processed: done.processed,
    quarantined: done.quarantined,
    seconds,
    messagesPerSecond: done.processed / seconds,
    smtpAcceptPerSecond: load.accepted / ((load.lastAcceptedAt - t0) / 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
    },
    cpuPercent: (100 * cpuSeconds) / Math.max(seconds, 0.001),
    peakRssMb: server.peakRssMb(),
    rssSamplesMb: rssSamples.filter((_, i) => i % Math.max(1, Math.floor(rssSamples.length / 20)) === 0).map((v) => Math.round(v)),
    errors: load.errors,
  };
}
