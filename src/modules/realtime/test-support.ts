import { WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import type { DomainEventListener } from '../../platform/outbox.js';
import { OutboxRelay } from '../../platform/outbox-relay.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { configureRealtime, type RealtimeOptions } from './hub.js';
import { realtimePublisher } from './publisher.js';

/** Helpers of the realtime and chat tests (imported by *.test.ts only). */

export type Json = Record<string, unknown> & { type?: string };

export interface LiveServer {
  ctx: AppContext;
  /** ws://127.0.0.1:<port> */
  wsBase: string;
  httpBase: string;
  /** The public URL's origin: what the agent app's pages send as Origin. */
  origin: string;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

/**
 * The test worker's server, listening on a free loopback port, with an outbox relay running (so
 * committed changes become realtime events as in a real process). Realtime options must be set
 * before the first getTestApp() of the file, hence here.
 */
export async function liveServer(
  options: Partial<RealtimeOptions> = {},
  listeners: (ctx: AppContext) => DomainEventListener[] = () => [realtimePublisher()],
): Promise<LiveServer> {
  const ctx = await getTestContext();
  configureRealtime(ctx, { heartbeatMs: 1000, busPollMs: 500, ...options });
  const app = await getTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const relay = new OutboxRelay(ctx.database, listeners(ctx), ctx.logger, 200);
  await relay.start();
  return {
    ctx,
    wsBase: `ws://127.0.0.1:${port}`,
    httpBase: `http://127.0.0.1:${port}`,
    origin: new URL(ctx.config.publicUrl).origin,
    relay,
    async stop() {
      await relay.stop();
      await app.close();
    },
  };
}

/** A WebSocket client that records everything it receives. */
export class TestSocket {
  readonly messages: Json[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse((data as Buffer).toString('utf8')) as Json);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(message: Json | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (from index `from`) matching, waiting for it up to `timeoutMs`. */
  async waitFor(match: (m: Json) => boolean, timeoutMs = 5000, from = 0): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends and waits for the reply carrying the same ref. */
  async request(message: Json, timeoutMs = 5000): Promise<Json> {
    const ref = `r${Math.random().toString(36).slice(2)}`;
    this.send({ ...message, ref });
    return this.waitFor((m) => m.ref === ref, timeoutMs);
  }

  events(): Json[] {
    return this.messages.filter((m) => m.type === 'event');
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/**
 * Opens a socket; resolves once open (or once closed, for refusals: check `closed`). Rejects on
 * an HTTP answer instead of an upgrade.
 */
export function openSocket(url: string, headers: Record<string, string>, options: { autoPong?: boolean } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    const socket = new TestSocket(ws);
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} instead of an upgrade`)));
    ws.once('error', reject);
  });
}

/** An agent socket with the page origin, connected and welcomed. */
export async function agentSocket(
  server: LiveServer,
  headers: Record<string, string>,
  options: { autoPong?: boolean } = {},
): Promise<TestSocket> {
  const socket = await openSocket(`${server.wsBase}/api/v1/realtime`, { origin: server.origin, ...headers }, options);
  await socket.waitFor((m) => m.type === 'welcome');
  return socket;
}
