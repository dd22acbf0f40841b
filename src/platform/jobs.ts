import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { CoalescedPass } from './coalesced-pass.js';
import type { JsonObject } from './schema.js';

/**
 * A small durable job queue on a PostgreSQL table (claimed with FOR UPDATE SKIP LOCKED), so
 * timers and deliveries survive restarts and run once across several processes.
 */
export interface JobHandler<P extends JsonObject = JsonObject> {
  queue: string;
  run(payload: P, db: Db): Promise<void>;
  /** How long a claimed job may run before another worker may take it over. */
  lockSeconds?: number;
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** While a job with this key is queued or running, enqueueing another one is a no-op. */
  singletonKey?: string;
}

export async function enqueueJob(db: Db, queue: string, payload: JsonObject, options: EnqueueOptions = {}): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      queue,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? new Date(),
      max_attempts: options.maxAttempts ?? 5,
      singleton_key: options.singletonKey ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await sql`select pg_notify('baton_jobs', ${queue})`.execute(db);
}

/** Exponential backoff with jitter: ~2s, 4s, 8s ... capped at one hour. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(3_600_000, 1000 * 2 ** attempt);
  return Math.round(base / 2 + random() * (base / 2));
}

interface ClaimedJob {
  id: number;
  queue: string;
  payload: JsonObject;
  attempts: number;
  max_attempts: number;
}

export class JobWorker {
  private readonly handlers = new Map<string, JobHandler<JsonObject>>();
  private readonly passes: CoalescedPass;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {
    this.passes = new CoalescedPass('job worker', () => this.runDue(), logger);
  }

  register<P extends JsonObject>(handler: JobHandler<P>): void {
    this.handlers.set(handler.queue, handler as unknown as JobHandler<JsonObject>);
  }

  start(listen?: (channel: string, fn: () => void) => Promise<unknown>): void {
    this.passes.poll(this.pollMs);
    void listen?.('baton_jobs', () => this.passes.kick());
    this.passes.kick();
  }

  /** Runs every due job once; returns how many ran (tests call this directly). */
  async runDue(now?: Date): Promise<number> {
    let ran = 0;
    for (;;) {
      if (this.stopped) return ran;
      const job = await this.claim(now);
      if (!job) return ran;
      ran++;
      await this.execute(job);
    }
  }

  private async claim(now?: Date): Promise<ClaimedJob | undefined> {
    const queues = [...this.handlers.keys()];
    if (queues.length === 0) return undefined;
    const at = now ?? new Date();
    const result = await sql<ClaimedJob>`
      update jobs set status = 'running', attempts = attempts + 1,
        locked_until = ${at}::timestamptz + make_interval(secs => 300)
      where id = (
        select id from jobs
        where queue = any(${queues}::text[])
          and ((status = 'queued' and run_at <= ${at}) or (status = 'running' and locked_until < ${at}))
        order by run_at, id limit 1 for update skip locked)
      returning id, queue, payload, attempts, max_attempts`.execute(this.db);
    return result.rows[0];
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.queue)!;
    try {
      await handler.run(job.payload, this.db);
      await this.db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: new Date(), locked_until: null })
        .where('id', '=', job.id)
        .execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempts >= job.max_attempts;
      this.logger.warn({ err: error, jobId: job.id, queue: job.queue, attempt: job.attempts, final }, 'job failed');
      await this.db
        .updateTable('jobs')
        .set({
          status: final ? 'failed' : 'queued',
          last_error: message.slice(0, 2000),
          run_at: new Date(Date.now() + retryDelayMs(job.attempts)),
          locked_until: null,
          finished_at: final ? new Date() : null,
        })
        .where('id', '=', job.id)
        .execute();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.passes.stop();
  }
}
