import type { WebSocket } from 'ws';

/**
 * What every Baton WebSocket (agent app, chat widget) shares: close codes, the Origin check,
 * the per-connection rate limit, message parsing and heartbeats. docs/REALTIME.md documents them.
 */

export const CLOSE = {
  normal: 1000,
  /** The server is shutting down or restarting: reconnect (with backoff) and resume. */
  goingAway: 1001,
  /** A frame above the size cap (sent by the ws library itself). */
  tooBig: 1009,
  serverError: 1011,
  /** Not a JSON text message, or the first message was not the expected one. */
  protocolError: 4400,
  /** No valid session, API token or visitor token; or the session ended. */
  unauthenticated: 4401,
  /** The page's Origin is not allowed for this socket. */
  originNotAllowed: 4403,
  /** The chat site does not exist or is switched off. */
  siteNotFound: 4404,
  /** No heartbeat answer in time (only seen by clients whose close frame still arrives). */
  heartbeatTimeout: 4408,
  /** Kept sending after being told to slow down. */
  rateLimited: 4429,
} as const;

/** Largest message a client may send (the ws library closes with 1009 above it). */
export const MAX_MESSAGE_BYTES = 32 * 1024;

/** Origin of a URL (`https://host[:port]`), or null when it is not an http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/**
 * Browsers always send Origin on a WebSocket handshake, so a page of another site is refused by
 * it. A missing Origin is a non-browser client (an integration with a bearer token, a test):
 * allowed only when `allowMissing` (the agent socket), since such a client holds its credentials.
 */
export function originAllowed(origin: string | undefined, allowed: string[], allowMissing: boolean): boolean {
  if (origin === undefined || origin === '') return allowMissing;
  const normalized = originOf(origin);
  return normalized !== null && allowed.includes(normalized);
}

/** A token bucket per connection: `burst` messages at once, refilled at `perSecond`. */
export class MessageRateLimit {
  private tokens: number;
  private last = Date.now();
  /** Messages refused since the last one that was allowed. */
  refusedInARow = 0;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return true;
    }
    this.refusedInARow++;
    return false;
  }
}

export type ClientMessage = { type: string; ref?: string } & Record<string, unknown>;

/** A client message: a JSON object with a string `type` (and an optional short `ref`), or null. */
export function parseClientMessage(data: unknown, isBinary: boolean): ClientMessage | null {
  if (isBinary) return null;
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : String(data);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string' || message.type.length > 40) return null;
  if (message.ref !== undefined && (typeof message.ref !== 'string' || message.ref.length > 64)) return null;
  return message as ClientMessage;
}

export function send(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * Pings every `intervalMs`; a connection that did not answer the previous ping is dead (a laptop
 * closed, a proxy dropped it) and is terminated. Browsers answer pings by themselves.
 */
export function keepAlive(socket: WebSocket, intervalMs: number, onBeat?: () => void): () => void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
    onBeat?.();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A string field of a client message within bounds, or undefined. */
export function stringField(message: ClientMessage, name: string, max: number): string | undefined {
  const value = message[name];
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EarlyMessages {
  /** What arrived so far (still buffering). */
  peek(): readonly [unknown, boolean][];
  /** Takes the oldest buffered message. */
  shift(): [unknown, boolean] | undefined;
  /** Stops buffering and returns what arrived, in order. */
  stop(): [unknown, boolean][];
}

/**
 * Buffers the messages a client sends while its connection is being set up (the handler awaits
 * the database before it listens), so none is lost or reordered.
 */
export function bufferEarlyMessages(socket: WebSocket): EarlyMessages {
  const buffered: [unknown, boolean][] = [];
  const listener = (data: unknown, isBinary: boolean) => buffered.push([data, isBinary]);
  socket.on('message', listener);
  return {
    peek: () => buffered,
    shift: () => buffered.shift(),
    stop() {
      socket.off('message', listener);
      return buffered.splice(0);
    },
  };
}
