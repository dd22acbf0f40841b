/**
 * The chat load generator, its own process so its CPU never counts as Baton's:
 * `tsx src/bench/chat-load.ts <spec JSON file>`.
 *
 * 1. An agent socket (bearer token) subscribes to the inbox: it is the receiving end.
 * 2. `connections` widget sockets say hello (each a visitor; each from its own client address,
 *    as behind a proxy, so per-address limits apply per visitor) and are held open.
 * 3. `chatting` of them start a chat; then, for `seconds`, they send messages at `rate` per
 *    second in all, spread evenly. Latency of a message = the agent socket receiving its
 *    `case.message_added` event - the visitor sending it, both on this process's clock.
 * Prints `START` before the measured phase and one JSON line with the result.
 */
import fs from 'node:fs';
import { WebSocket } from 'ws';
import { percentile } from './load.js';

export interface ChatLoadSpec {
  wsBase: string;
  siteKey: string;
  origin: string;
  token: string;
  connections: number;
  chatting: number;
  rate: number;
  seconds: number;
}

export interface ChatLoadResult {
  connectionsHeld: number;
  connectFailures: number;
  connectSeconds: number;
  chatsStarted: number;
  sent: number;
  acknowledged: number;
  delivered: number;
  refused: number;
  errors: Record<string, number>;
  sendSeconds: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Visitor sends -> the server answers `sent` (the message is committed). */
  ackMs: { p50: number; p95: number; p99: number };
}

type Json = Record<string, unknown>;

interface Visitor {
  socket: WebSocket;
  ip: string;
  pending: Map<string, (message: Json) => void>;
}

const errors: Record<string, number> = {};
const countError = (code: string) => (errors[code] = (errors[code] ?? 0) + 1);

/** 10.x.y.z from a number: a distinct client address per visitor. */
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

let refCounter = 0;
function request(visitor: Visitor, message: Json, timeoutMs = 30_000): Promise<Json> {
  const ref = `r${++refCounter}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      visitor.pending.delete(ref);
      reject(new Error(`no answer to ${String(message.type)} within ${timeoutMs} ms`));
    }, timeoutMs);
    visitor.pending.set(ref, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    visitor.socket.send(JSON.stringify({ ...message, ref }));
  });
}

function openVisitor(spec: ChatLoadSpec, n: number): Promise<Visitor> {
  const ip = addressOf(n + 1);
  const socket = new WebSocket(`${spec.wsBase}/api/v1/chat/widget/socket?site=${spec.siteKey}`, {
    headers: { origin: spec.origin, 'x-forwarded-for': ip },
    perMessageDeflate: false,
  });
  const visitor: Visitor = { socket, ip, pending: new Map() };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hello timed out')), 60_000);
    socket.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
      if (message.type === 'welcome') {
        clearTimeout(timer);
        resolve(visitor);
        return;
      }
      const ref = typeof message.ref === 'string' ? message.ref : undefined;
      if (ref && visitor.pending.has(ref)) {
        visitor.pending.get(ref)!(message);
        visitor.pending.delete(ref);
      }
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello' })));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`closed ${code}`));
    });
  });
}

function openAgent(spec: ChatLoadSpec, onEvent: (event: Json) => void): Promise<WebSocket> {
  const socket = new WebSocket(`${spec.wsBase}/api/v1/realtime`, {
    headers: { authorization: `Bearer ${spec.token}` },
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', topic: 'inbox', ref: 'inbox' })));
    socket.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as Json;
      // Events flow once the client says where it resumes from (null: from now on).
      if (message.type === 'subscribed') socket.send(JSON.stringify({ type: 'resume', last_event_id: null, ref: 'resume' }));
      else if (message.type === 'resumed') resolve(socket);
      else if (message.type === 'event') onEvent(message);
    });
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`agent socket closed ${code}`)));
  });
}

/** Opens `count` sockets, `parallel` at a time. */
async function openMany(spec: ChatLoadSpec, count: number, parallel: number): Promise<{ visitors: Visitor[]; failures: number }> {
  const visitors: Visitor[] = [];
  let failures = 0;
  let next = 0;
  async function lane() {
    while (next < count) {
      const n = next++;
      try {
        visitors.push(await openVisitor(spec, n));
      } catch (error) {
        failures++;
        countError(`connect: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
  return { visitors, failures };
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    let input = '';
    const onData = (chunk: Buffer) => {
      input += chunk.toString();
      if (!input.includes('GO\n')) return;
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolve();
    };
    process.stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as ChatLoadSpec;
  const sentAt = new Map<string, number>(); // message id -> send time
  const sendTimeByRef = new Map<string, number>();
  const deliveredAt = new Map<string, number>(); // message id -> agent receive time
  const agent = await openAgent(spec, (event) => {
    if (event.event !== 'case.message_added') return;
    const id = (event.data as Json | undefined)?.message_id;
    if (typeof id === 'string' && !deliveredAt.has(id)) deliveredAt.set(id, performance.now());
  });

  const t0 = performance.now();
  const { visitors, failures } = await openMany(spec, spec.connections, 50);
  const connectSeconds = (performance.now() - t0) / 1000;
  // Let the server settle (garbage collection) before the runner reads its memory.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  process.stdout.write('HELD\n');
  await new Promise((resolve) => setTimeout(resolve, 500));

  const chatters: Visitor[] = [];
  let nextChat = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (nextChat < Math.min(spec.chatting, visitors.length)) {
        const visitor = visitors[nextChat++]!;
        const answer = await request(visitor, { type: 'start', text: 'Hello, a question about my invoice' }).catch((error: Error) => ({
          type: 'error',
          code: error.message,
        }));
        if (answer.type === 'started') chatters.push(visitor);
        else countError(`start: ${String(answer.code)}`);
      }
    }),
  );
  if (chatters.length === 0) throw new Error(`no chat could start: ${JSON.stringify(errors)}`);

  // Starting the chats is a burst of case creations whose relay work (SLA clocks, assignment
  // mail, ...) would otherwise run inside the measured phase: the runner answers GO once the
  // relay has caught up, so the messages are measured at a steady rate as the issue asks.
  process.stdout.write('STARTED\n');
  await waitForGo();
  process.stdout.write('START\n');
  let sent = 0;
  let acknowledged = 0;
  let refused = 0;
  const acks: number[] = [];
  const inFlight: Promise<void>[] = [];
  const intervalMs = 1000 / spec.rate;
  const total = Math.round(spec.rate * spec.seconds);
  const sendStart = performance.now();
  for (let i = 0; i < total; i++) {
    // Open-loop: the i-th message is due at i / rate, whatever the answers so far.
    const due = sendStart + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const visitor = chatters[i % chatters.length]!;
    const ref = `m${i}`;
    const at = performance.now();
    sendTimeByRef.set(ref, at);
    sent++;
    inFlight.push(
      request(visitor, { type: 'message', text: `Bench message ${i}: the charge on my card` })
        .then((answer) => {
          if (answer.type === 'sent' && typeof answer.message_id === 'string') {
            acknowledged++;
            acks.push(performance.now() - at);
            sentAt.set(answer.message_id, at);
          } else {
            refused++;
            countError(`message: ${String(answer.code)}`);
          }
        })
        .catch((error: Error) => {
          refused++;
          countError(`message: ${error.message}`);
        }),
    );
  }
  const sendSeconds = (performance.now() - sendStart) / 1000;
  await Promise.all(inFlight);
  // Give the last events time to arrive.
  const settleUntil = performance.now() + 10_000;
  while (performance.now() < settleUntil && [...sentAt.keys()].some((id) => !deliveredAt.has(id))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const latencies: number[] = [];
  for (const [id, at] of sentAt) {
    const arrived = deliveredAt.get(id);
    if (arrived !== undefined) latencies.push(arrived - at);
  }
  latencies.sort((a, b) => a - b);
  const result: ChatLoadResult = {
    connectionsHeld: visitors.filter((v) => v.socket.readyState === WebSocket.OPEN).length,
    connectFailures: failures,
    connectSeconds,
    chatsStarted: chatters.length,
    sent,
    acknowledged,
    delivered: latencies.length,
    refused,
    errors,
    sendSeconds,
    messagesPerSecond: latencies.length / sendSeconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    },
    ackMs: { p50: NaN, p95: NaN, p99: NaN },
  };
  acks.sort((a, b) => a - b);
  result.ackMs = { p50: percentile(acks, 50), p95: percentile(acks, 95), p99: percentile(acks, 99) };
  for (const visitor of visitors) visitor.socket.terminate();
  agent.terminate();
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
