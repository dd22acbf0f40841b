/**
 * The widget socket (docs/REALTIME.md, "Widget socket"): hello with the visitor's tokens and the
 * last event id it processed, reconnect with backoff, and a ping when the line has been quiet
 * (a dead connection is noticed even when the browser does not report it).
 */
export type ServerMessage = { type: string; ref?: string; event_id?: number } & Record<string, unknown>;

export interface ConnectionHandlers {
  hello(): Record<string, unknown>;
  message(message: ServerMessage): void;
  state(state: 'connecting' | 'open' | 'lost'): void;
  /** The server refused for good (unknown site, identity refused, origin): no reconnect. */
  refused(code: number, reason: string): void;
}

const FINAL_CODES = new Set([4400, 4401, 4403, 4404, 1009]);
const PING_AFTER_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

export class WidgetConnection {
  private socket: WebSocket | undefined;
  private attempts = 0;
  private stopped = false;
  private lastHeard = Date.now();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  lastEventId: number | null = null;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    this.stopped = false;
    // One socket at a time (an identity token may arrive while the first one opens).
    const old = this.socket;
    this.socket = undefined;
    this.clearTimers();
    old?.close(1000);
    this.handlers.state(this.attempts === 0 ? 'connecting' : 'lost');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.lastHeard = Date.now();
      socket.send(JSON.stringify({ type: 'hello', ...this.handlers.hello(), last_event_id: this.lastEventId }));
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      this.lastHeard = Date.now();
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'welcome') {
        this.attempts = 0;
        this.handlers.state('open');
      }
      // Resume bookkeeping: every stored event counts, and welcome says where "now" is.
      if (typeof message.event_id === 'number') this.lastEventId = Math.max(this.lastEventId ?? 0, message.event_id);
      if (message.type === 'welcome' && this.lastEventId === null && typeof message.last_event_id === 'number')
        this.lastEventId = message.last_event_id;
      this.handlers.message(message);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.clearTimers();
      if (this.stopped) return;
      if (FINAL_CODES.has(event.code)) {
        this.handlers.refused(event.code, event.reason);
        return;
      }
      this.handlers.state('lost');
      const delay = Math.min(30_000, 500 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
      this.attempts += 1;
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
    this.pingTimer = setInterval(() => {
      const quiet = Date.now() - this.lastHeard;
      if (quiet > PING_AFTER_MS + PONG_WITHIN_MS) socket.close(4000, 'no answer');
      else if (quiet > PING_AFTER_MS) this.send({ type: 'ping' });
    }, 5_000);
  }

  /** Reconnects now (new identity token): a fresh hello. */
  restart(): void {
    this.attempts = 0;
    this.connect();
  }

  send(message: Record<string, unknown>): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(JSON.stringify(message));
    return true;
  }

  private clearTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
  }
}
