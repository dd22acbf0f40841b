import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, DatabaseHandle } from '../db/database.js';
import { CoalescedPass } from './coalesced-pass.js';
import { OUTBOX_CHANNEL, type DomainEvent, type DomainEventListener } from './outbox.js';
import { forgetSharedReads, shareReadsIn } from './batch-reads.js';

const BATCH = 100;

/**
 * A lane is an independent consumer of the domain events: the main lane (every domain listener;
 * `domain_events.published_at`) and the realtime lane (the live-update publisher alone, claimed
 * from `outbox_realtime_pending`), so that agents see a change as soon as it commits, not when a
 * batch of slow listeners does.
 */
export type RelayLane = 'main' | 'realtime';

interface EventRow {
  id: number;
  workspace_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  actor_type: string;
  actor_id: string | null;
  occurred_at: Date;
}

/**
 * Relays committed domain events to in-process listeners, in id order, at least once.
 * Several processes may relay: each batch is claimed with FOR UPDATE SKIP LOCKED inside a
 * transaction and marked published in it, so an event is handled by one relay of its lane unless
 * that relay dies mid-batch (then another takes it over; listeners are idempotent).
 */
export class OutboxRelay {
  private stopped = false;
  private readonly passes: CoalescedPass;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly listeners: DomainEventListener[],
    private readonly logger: Logger,
    private readonly pollMs = 1000,
    private readonly lane: RelayLane = 'main',
  ) {
    this.passes = new CoalescedPass(`outbox relay (${lane})`, () => this.relayAll(), logger);
  }

  async start(): Promise<void> {
    this.unlisten = await this.handle.listen(OUTBOX_CHANNEL, () => this.passes.kick());
    this.passes.poll(this.pollMs);
    this.passes.kick();
  }

  /** Processes every pending event; resolves when none is left (tests await this). */
  async drain(): Promise<void> {
    // A background pass may hold rows this call cannot see (SKIP LOCKED): let it commit first.
    await this.passes.settled();
    await this.relayAll();
  }

  private async relayAll(): Promise<void> {
    while (!this.stopped) {
      const count = await this.handle.db.transaction().execute((tx) => this.relayBatch(tx));
      if (count > 0) await this.afterCommit();
      if (count < BATCH) return;
    }
  }

  private async afterCommit(): Promise<void> {
    for (const listener of this.listeners) {
      if (!listener.afterCommit) continue;
      try {
        await listener.afterCommit();
      } catch (error) {
        // What was committed stays committed; the listener's own fallback (a poll) covers it.
        this.logger.warn({ err: error, listener: listener.name }, 'domain event listener after-commit step failed');
      }
    }
  }

  private async claimBatch(tx: Db): Promise<EventRow[]> {
    if (this.lane === 'main') {
      const rows =
        await sql<EventRow>`select id, workspace_id, type, aggregate_type, aggregate_id, payload, actor_type, actor_id, occurred_at
         from domain_events where published_at is null order by id limit ${BATCH} for update skip locked`.execute(tx);
      return rows.rows;
    }
    // The claimed ids first, then their events by key: as one join ordered by the queue, the
    // planner may merge-join along the whole events table (33 ms at 58,000 events, growing with it).
    const rows = await sql<EventRow>`
      with claimed as materialized (
        select event_id from outbox_realtime_pending order by event_id limit ${BATCH} for update skip locked)
      select e.id, e.workspace_id, e.type, e.aggregate_type, e.aggregate_id, e.payload, e.actor_type, e.actor_id, e.occurred_at
      from claimed join domain_events e on e.id = claimed.event_id
      order by e.id`.execute(tx);
    return rows.rows;
  }

  private async markRelayed(tx: Db, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    if (this.lane === 'main') await tx.updateTable('domain_events').set({ published_at: new Date() }).where('id', 'in', ids).execute();
    else await tx.deleteFrom('outbox_realtime_pending').where('event_id', 'in', ids).execute();
  }

  private async relayBatch(tx: Db): Promise<number> {
    const rows = await this.claimBatch(tx);
    const events = rows.map((row): DomainEvent => ({
      id: Number(row.id),
      workspaceId: row.workspace_id,
      type: row.type,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      payload: row.payload,
      actorType: row.actor_type,
      actorId: row.actor_id,
      occurredAt: row.occurred_at,
    }));
    // Fast path: the whole batch under one savepoint (two statements per batch, not two per
    // listener and event, which were a good share of the relay's statements). Should a listener
    // fail, the batch is undone and run again with a savepoint per listener and event, so only the
    // failing listener's writes are lost (listeners are idempotent: they run at least once anyway).
    if (events.length > 0) {
      shareReadsIn(tx);
      await sql`savepoint baton_batch`.execute(tx);
      try {
        await this.runListeners(tx, events, (_listener, _eventId, work) => work());
        await sql`release savepoint baton_batch`.execute(tx);
      } catch {
        await sql`rollback to savepoint baton_batch`.execute(tx);
        forgetSharedReads(tx);
        await this.runListeners(tx, events, (listener, eventId, work) => this.guarded(tx, listener, eventId, work));
      }
    }
    await this.markRelayed(
      tx,
      rows.map((r) => Number(r.id)),
    );
    return rows.length;
  }

  /** Batch listeners first (one call each), then the others event by event, in listener order. */
  private async runListeners(
    tx: Db,
    events: DomainEvent[],
    run: (listener: DomainEventListener, eventId: number, work: () => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const handles = (listener: DomainEventListener, event: DomainEvent) =>
      listener.handles === '*' || listener.handles.includes(event.type);
    for (const listener of this.listeners) {
      if (!listener.handleBatch) continue;
      const mine = events.filter((event) => handles(listener, event));
      if (mine.length > 0) await run(listener, mine[0]!.id, () => listener.handleBatch!(mine, tx));
    }
    const oneByOne = this.listeners.filter((l) => !l.handleBatch);
    for (const listener of oneByOne) {
      if (!listener.prepare) continue;
      const mine = events.filter((event) => handles(listener, event));
      if (mine.length > 0) await run(listener, mine[0]!.id, () => listener.prepare!(mine, tx));
    }
    for (const event of events) {
      for (const listener of oneByOne) {
        if (handles(listener, event)) await run(listener, event.id, () => listener.handle(event, tx));
      }
    }
  }

  /**
   * Listeners write in the relay's transaction (what they enqueue commits together with the event
   * being marked published: exactly once). A savepoint undoes a failing listener's writes alone;
   * the embedded database has one connection, so they must not use another.
   */
  private async guarded(tx: Db, listener: DomainEventListener, eventId: number, work: () => Promise<void>): Promise<void> {
    await sql`savepoint baton_listener`.execute(tx);
    try {
      await work();
      await sql`release savepoint baton_listener`.execute(tx);
    } catch (error) {
      await sql`rollback to savepoint baton_listener`.execute(tx);
      forgetSharedReads(tx);
      // One failing listener must not block the others or the queue.
      this.logger.error({ err: error, listener: listener.name, eventId }, 'domain event listener failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.passes.stop();
    await this.unlisten?.();
  }
}
