/**
 * The agent app's realtime connection (docs/REALTIME.md, "Agent socket"): one WebSocket per tab,
 * subscriptions kept across reconnects, resume from the last event id processed (nothing lost or
 * doubled), a ping when the line has been quiet, reconnect with backoff and jitter.
 */
export interface LiveEvent {
  id: number;
  event: string;
  case_id: string | null;
  data: Record<string, unknown>;
  at: string;
}

export interface Viewer {
  agent_id: string;
  name: string;
  typing: boolean;
}

export type LiveState = 'connecting' | 'open' | 'lost' | 'closed';

export type ServerMessage =
  | { type: 'welcome'; agent_id: string; last_event_id: number; heartbeat_ms: number }
  | ({ type: 'event' } & LiveEvent)
  | { type: 'viewers'; case_id: string; viewers: Viewer[] }
  | { type: 'subscribed'; topic: string; case_id?: string; last_event_id: number; viewers?: Viewer[] }
  | { type: 'typing'; case_id: string; from: 'customer' }
  | { type: 'resumed' | 'resync_required' | 'pong' | 'presence_set' | 'unsubscribed' | 'error'; [key: string]: unknown };

type Listener = (message: ServerMessage) => void;

/** Close codes after which reconnecting cannot help (docs/REALTIME.md, "Close codes"). */
const FINAL = new Set([4400, 4401, 4403, 1009]);
const PING_AFTER_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

export class RealtimeClient {
  private socket: WebSocket | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  private readonly cases = new Map<string, number>();
  private presence: 'online' | 'away' = 'online';
  private attempts = 0;
  private stopped = false;
  private lastHeard = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The id of the last stored event processed: the next connection resumes after it. */
  lastEventId: number | null = null;
  state: LiveState = 'closed';

  constructor(private readonly url: string) {}

  start(): void {
    this.stopped = false;
    if (!this.socket) this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close(1000);
    this.socket = undefined;
    this.setState('closed');
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Follows a case (several components may follow the same one). */
  watchCase(caseId: string): () => void {
    const count = this.cases.get(caseId) ?? 0;
    this.cases.set(caseId, count + 1);
    if (count === 0) this.send({ type: 'subscribe', topic: 'case', case_id: caseId });
    return () => {
      const left = (this.cases.get(caseId) ?? 1) - 1;
      if (left > 0) this.cases.set(caseId, left);
      else {
        this.cases.delete(caseId);
        this.send({ type: 'unsubscribe', topic: 'case', case_id: caseId });
      }
    };
  }

  typing(caseId: string): void {
    this.send({ type: 'typing', case_id: caseId });
  }

  setPresence(status: 'online' | 'away'): boolean {
    this.presence = status;
    return this.send({ type: 'presence', status });
  }

  send(message: Record<string, unknown>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private setState(state: LiveState) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private open(): void {
    this.setState(this.attempts === 0 ? 'connecting' : 'lost');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.lastHeard = Date.now();
    socket.addEventListener('open', () => {
      // Subscriptions first, then where this tab stands: the server replays what it missed.
      socket.send(JSON.stringify({ type: 'subscribe', topic: 'inbox' }));
      for (const caseId of this.cases.keys()) socket.send(JSON.stringify({ type: 'subscribe', topic: 'case', case_id: caseId }));
      socket.send(JSON.stringify({ type: 'resume', last_event_id: this.lastEventId }));
      socket.send(JSON.stringify({ type: 'presence', status: this.presence }));
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
        if (this.lastEventId === null) this.lastEventId = message.last_event_id;
        this.setState('open');
      } else if (message.type === 'event') {
        if (this.lastEventId !== null && message.id <= this.lastEventId) return;
        this.lastEventId = message.id;
      } else if (message.type === 'resync_required' && typeof message.last_event_id === 'number') {
        this.lastEventId = message.last_event_id;
      }
      for (const listener of this.listeners) listener(message);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.clearTimers();
      if (this.stopped) return;
      if (FINAL.has(event.code)) {
        this.setState('closed');
        return;
      }
      this.setState('lost');
      const delay = Math.min(30_000, 500 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
      this.attempts += 1;
      this.retryTimer = setTimeout(() => this.open(), delay);
    });
    this.pingTimer = setInterval(() => {
      const quiet = Date.now() - this.lastHeard;
      if (quiet > PING_AFTER_MS + PONG_WITHIN_MS) socket.close(4000, 'no answer');
      else if (quiet > PING_AFTER_MS) this.send({ type: 'ping' });
    }, 5_000);
  }

  private clearTimers() {
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
  }
}

export function realtimeUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
}
