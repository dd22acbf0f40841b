/**
 * The `chat` scenario of `npm run bench`: one Baton process holds BENCH_CHAT_CONNECTIONS widget
 * sockets (10,000) while BENCH_CHAT_CHATTING visitors (1,100: the widget allows a visitor one
 * message a second) send BENCH_CHAT_RATE messages per second (1,000) in all for BENCH_SECONDS;
 * an agent socket subscribed to the inbox receives them. Reported: sockets held, delivery latency
 * visitor -> agent (p50/p95/p99), messages delivered per second, server memory per connection
 * (RSS after the sockets opened minus before, over their number), peak RSS and CPU.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatLoadResult, ChatLoadSpec } from './chat-load.js';
import type { ServerHandle } from './server-process.js';

export interface ChatBenchResult extends ChatLoadResult {
  rate: number;
  connections: number;
  /** After the chats started, before the messages: the relay catching up with their creation. */
  relayCatchUpSeconds: number;
  /** After the last message was delivered: the main relay (SLA, follow-ups, ...) catching up. */
  relayCatchUpAfterSeconds: number;
  rssBeforeMb: number;
  rssHeldMb: number;
  memoryPerConnectionKb: number;
  cpuPercent: number;
  peakRssMb: number;
}

const ORIGIN = 'https://shop.bench.test';

function readRssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Runs the load child; `onHeld` when its sockets are open, `onChatsStarted` once its chats are
 * open (the child waits for it to settle, then for GO), `onStart` when messages start flowing.
 */
function runChatLoad(
  spec: ChatLoadSpec,
  onHeld: () => void,
  onChatsStarted: () => Promise<void>,
  onStart: () => void,
): Promise<ChatLoadResult> {
  const file = path.join(os.tmpdir(), `baton-bench-chat-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/bench/chat-load.ts'), file], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const before = out;
      out += chunk.toString();
      if (!before.includes('HELD\n') && out.includes('HELD\n')) onHeld();
      if (!before.includes('STARTED\n') && out.includes('STARTED\n')) {
        onChatsStarted().then(
          () => child.stdin.write('GO\n'),
          (error: unknown) => {
            child.kill();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
      if (!before.includes('START\n') && out.includes('START\n')) onStart();
    });
    child.on('exit', (code) => {
      fs.rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`src/bench/chat-load.ts exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as ChatLoadResult);
    });
  });
}

export async function runChatScenario(
  server: ServerHandle,
  token: string,
  /** Waits for the relay to catch up; resolves to the seconds it took. */
  settle: () => Promise<number>,
): Promise<ChatBenchResult> {
  const connections = Number(process.env.BENCH_CHAT_CONNECTIONS ?? 10_000);
  const rate = Number(process.env.BENCH_CHAT_RATE ?? 1_000);
  const chatting = Number(process.env.BENCH_CHAT_CHATTING ?? Math.ceil(rate * 1.1));
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const runId = Date.now().toString(36);
  const created = await fetch(`${server.url}/api/v1/chat/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-chat-${runId}` },
    body: JSON.stringify({ name: `Bench shop ${runId}`, allowed_origins: [ORIGIN], greeting: 'Hi!' }),
  });
  if (created.status !== 201) throw new Error(`chat: creating the chat site answered ${created.status}: ${await created.text()}`);
  const site = (await created.json()) as { site_key: string };

  const pid = server.child.pid!;
  const rssBeforeMb = readRssMb(pid);
  let rssHeldMb = NaN;
  let relayCatchUpSeconds = NaN;
  let cpu0 = server.cpuSeconds();
  let t0 = performance.now();
  const result = await runChatLoad(
    {
      wsBase: server.url.replace(/^http/, 'ws'),
      siteKey: site.site_key,
      origin: ORIGIN,
      token,
      connections,
      chatting,
      rate,
      seconds,
    },
    () => {
      rssHeldMb = readRssMb(pid);
    },
    async () => {
      relayCatchUpSeconds = await settle();
    },
    () => {
      cpu0 = server.cpuSeconds();
      t0 = performance.now();
    },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpuPercent = Math.round((100 * (server.cpuSeconds() - cpu0)) / wall);
  // Whether the rate is sustainable: delivery does not wait for the main relay's listeners, so a
  // backlog left there would only show here.
  const relayCatchUpAfterSeconds = await settle();
  return {
    ...result,
    rate,
    connections,
    relayCatchUpSeconds,
    relayCatchUpAfterSeconds,
    rssBeforeMb: Math.round(rssBeforeMb),
    rssHeldMb: Math.round(rssHeldMb),
    memoryPerConnectionKb: Math.round(((rssHeldMb - rssBeforeMb) * 1024) / Math.max(1, result.connectionsHeld)),
    cpuPercent,
    peakRssMb: Math.round(server.peakRssMb()),
  };
}
