import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database.js';
import { CoalescedPass } from '../../platform/coalesced-pass.js';
import { EVENTS_CHANNEL, LIVE_CHANNEL, latestEventId, readEventsAfter, type RealtimeEvent } from './event-store.js';

/**
 * A live-only signal (typing, viewing a case): crosses processes through NOTIFY and is never
 * stored. Kept small: PostgreSQL caps a notification at 8000 bytes.
 */
export interface LiveSignal {
  kind: 'viewing' | 'left' | 'typing';
  workspaceId: string;
  caseId: string;
  /** Who: an agent (id and name) or the case's customer (a chat visitor). */
  from: 'agent' | 'customer';
  agentId?: string | undefined;
  name?: string | undefined;
  /** The connection that sent it (a viewer is one connection; an agent may have several). */
  connectionId: string;
}

/**
 * How events reach every process. Committed events are always read from realtime_events in id
 * order (the log resume relies on) after a wake-up, and by a slow poll in case a wake-up was lost;
 * live signals are never stored. The PostgreSQL bus carries wake-ups and live signals by NOTIFY,
 * the Redis bus (redis-bus.ts, BATON_REDIS_URL) by Redis PUBLISH.
 */
export interface RealtimeBus {
  readonly processId: string;
  /** The id of the last event handed to onEvent: everything up to it has been dispatched. */
  readonly cursor: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  onEvent(handler: (event: RealtimeEvent) => void): void;
  onLive(handler: (signal: LiveSignal) => void): void;
  publishLive(signal: LiveSignal): Promise<void>;
}

const BATCH = 500;

export class PostgresRealtimeBus implements RealtimeBus {
  readonly processId = `${os.hostname().slice(0, 40)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  cursor = 0;
  protected readonly eventHandlers: ((event: RealtimeEvent) => void)[] = [];
  private readonly liveHandlers: ((signal: LiveSignal) => void)[] = [];
  private readonly pass: CoalescedPass;
  protected unlisten: (() => Promise<void>)[] = [];
  private stopped = false;

  constructor(
    protected readonly database: DatabaseHandle,
    protected readonly logger: Logger,
    private readonly pollMs = 2000,
  ) {
    this.pass = new CoalescedPass('realtime bus', () => this.readNew(), logger);
  }

  onEvent(handler: (event: RealtimeEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  onLive(handler: (signal: LiveSignal) => void): void {
    this.liveHandlers.push(handler);
  }

  async start(): Promise<void> {
    // Listen first, then read the position: an event committed in between is read, not missed.
    await this.listenForSignals();
    this.cursor = await latestEventId(this.database.db);
    this.pass.poll(this.pollMs);
  }

  /** Where wake-ups (new events committed) and live signals arrive from: NOTIFY here. */
  protected async listenForSignals(): Promise<void> {
    this.unlisten.push(await this.database.listen(EVENTS_CHANNEL, () => this.wake()));
    this.unlisten.push(await this.database.listen(LIVE_CHANNEL, (payload) => this.receiveLive(payload)));
  }

  /** New events were committed: read them (coalesced with a pass already running). */
  protected wake(): void {
    this.pass.kick();
  }

  /** Reads every committed event after the cursor and hands them out in id order. */
  async readNew(): Promise<void> {
    while (!this.stopped) {
      const events = await readEventsAfter(this.database.db, { afterId: this.cursor, limit: BATCH });
      for (const event of events) {
        this.cursor = event.id;
        for (const handler of this.eventHandlers) {
          try {
            handler(event);
          } catch (error) {
            this.logger.error({ err: error, eventId: event.id }, 'realtime event handler failed');
          }
        }
      }
      if (events.length < BATCH) return;
    }
  }

  async publishLive(signal: LiveSignal): Promise<void> {
    const payload = JSON.stringify({ ...signal, processId: this.processId });
    await sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(this.database.db);
  }

  protected receiveLive(payload: string): void {
    let signal: LiveSignal;
    try {
      signal = JSON.parse(payload) as LiveSignal;
    } catch {
      return;
    }
    for (const handler of this.liveHandlers) {
      try {
        handler(signal);
      } catch (error) {
        this.logger.error({ err: error }, 'realtime live signal handler failed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.pass.stop();
    for (const unlisten of this.unlisten.splice(0)) await unlisten().catch(() => undefined);
  }
}
