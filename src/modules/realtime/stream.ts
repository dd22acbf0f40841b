import type { Db } from '../../db/database.js';
import { oldestEventId, readEventsAfter, type RealtimeEvent } from './event-store.js';

/** Resume replays at most this many events; further behind, the client refetches (resync). */
export const MAX_REPLAY = 1000;

export type ResumeOutcome = { kind: 'resumed'; from: number; to: number; count: number } | { kind: 'resync_required'; to: number };

/**
 * The ordered, exactly-once delivery of stored events to one connection, across a reconnect.
 *
 * A connection receives nothing until it says where it stands (`resume` with the last event id it
 * received, or null for "from now"). Resuming replays the stored events after that id up to the
 * bus position taken at that moment; events the bus hands out meanwhile wait in `pending` and
 * follow the replay. Every delivery goes through one promise chain (order kept even when a
 * delivery awaits the database) and is skipped when its id is not above the last one delivered,
 * so an event is never sent twice and none between the resume point and now is left out.
 */
export abstract class ResumableStream {
  /** The last event id this connection has been given (or skipped past as not for it). */
  lastEventId = 0;
  private live = false;
  private replaying = false;
  private pending: RealtimeEvent[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Tasks in the chain not yet finished. */
  private queued = 0;
  protected closed = false;

  constructor(readonly workspaceId: string) {}

  /** Whether this connection wants the event at all (subscriptions); cheap and synchronous. */
  protected abstract wants(event: RealtimeEvent): boolean;
  /** Authorizes the event for this recipient again and sends it (or not). */
  protected abstract deliver(event: RealtimeEvent): Promise<void>;

  /** Called by the hub for every event of the bus, in id order. */
  offer(event: RealtimeEvent): void {
    if (!this.live || this.closed || event.workspaceId !== this.workspaceId) return;
    if (this.replaying) {
      this.pending.push(event);
      return;
    }
    // Most events are not for most connections (a chat visitor wants one case of thousands).
    // With nothing queued, deciding now is what the chain would decide next: skip it without a
    // promise per event and connection, which at thousands of each was most of the hub's CPU.
    if (this.queued === 0 && event.id > this.lastEventId && !this.wants(event)) {
      this.lastEventId = event.id;
      return;
    }
    this.enqueue(event);
  }

  /** Runs `task` after every delivery queued so far (replies that must follow the events). */
  protected after(task: () => void | Promise<void>): Promise<void> {
    this.queued++;
    const next = this.chain.then(task).finally(() => {
      this.queued--;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private enqueue(event: RealtimeEvent): void {
    void this.after(async () => {
      if (this.closed || event.id <= this.lastEventId) return;
      this.lastEventId = event.id;
      if (this.wants(event)) await this.deliver(event);
    });
  }

  /**
   * Starts (or restarts) live delivery from `lastEventId` (null: from now). `busCursor` is the
   * bus position now; read synchronously by the caller in the same tick as this call.
   */
  async resume(db: Db, lastEventId: number | null, busCursor: number, announce: (outcome: ResumeOutcome) => void): Promise<ResumeOutcome> {
    if (lastEventId === null || lastEventId >= busCursor) {
      // From now (or the client is already at the head): nothing to replay.
      const to = lastEventId === null ? busCursor : lastEventId;
      const outcome: ResumeOutcome = { kind: 'resumed', from: to, to, count: 0 };
      this.live = true;
      await this.after(() => {
        this.lastEventId = Math.max(this.lastEventId, to);
        announce(outcome);
      });
      return outcome;
    }
    this.live = true;
    this.replaying = true;
    try {
      const oldest = await oldestEventId(db);
      const lost = oldest === null || lastEventId < oldest - 1;
      const events = lost
        ? []
        : await readEventsAfter(db, { afterId: lastEventId, uptoId: busCursor, workspaceId: this.workspaceId, limit: MAX_REPLAY + 1 });
      if (lost || events.length > MAX_REPLAY) {
        // Too far behind (pruned, or too much to replay): the client refetches, then goes on live.
        const outcome: ResumeOutcome = { kind: 'resync_required', to: busCursor };
        await this.after(() => {
          this.lastEventId = Math.max(this.lastEventId, busCursor);
          announce(outcome);
        });
        return outcome;
      }
      await this.after(() => {
        this.lastEventId = Math.max(this.lastEventId, lastEventId);
      });
      for (const event of events) this.enqueue(event);
      const outcome: ResumeOutcome = {
        kind: 'resumed',
        from: lastEventId,
        to: busCursor,
        count: events.filter((e) => this.wants(e)).length,
      };
      await this.after(() => {
        // Events the client skipped as not its own still move it to the bus position of the resume.
        this.lastEventId = Math.max(this.lastEventId, busCursor);
        announce(outcome);
      });
      return outcome;
    } finally {
      this.replaying = false;
      const waiting = this.pending;
      this.pending = [];
      for (const event of waiting) this.enqueue(event);
    }
  }

  close(): void {
    this.closed = true;
    this.pending = [];
  }
}
