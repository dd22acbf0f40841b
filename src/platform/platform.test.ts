import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { getTestContext } from '../test/harness.js';
import { createWorkspace, unique } from '../test/factories.js';
import { recordAudit } from './audit.js';
import { hashRequest, withIdempotency } from './idempotency.js';
import { enqueueJob, JobWorker, retryDelayMs } from './jobs.js';
import { recordDomainEvent, type DomainEvent } from './outbox.js';
import { OutboxRelay } from './outbox-relay.js';
import { hitRateLimit, hitRateLimits } from './rate-limit.js';
import { AppError, RateLimitedError } from './errors.js';
import { signExpiring, verifyExpiring } from './tokens.js';

const silent = pino({ level: 'silent' });

describe('transactional outbox', () => {
  it('relays committed events in order and drops rolled-back ones', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const aggregateId = crypto.randomUUID();
    await ctx.db.transaction().execute(async (tx) => {
      await recordDomainEvent(tx, ws.system, { type: 'test.one', aggregateType: 'test', aggregateId });
      await recordDomainEvent(tx, ws.system, { type: 'test.two', aggregateType: 'test', aggregateId });
    });
    await expect(
      ctx.db.transaction().execute(async (tx) => {
        await recordDomainEvent(tx, ws.system, { type: 'test.rolled_back', aggregateType: 'test', aggregateId });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');

    const seen: DomainEvent[] = [];
    const relay = new OutboxRelay(ctx.database, [{ name: 'collector', handles: '*', handle: async (e) => void seen.push(e) }], silent);
    await relay.drain();
    const mine = seen.filter((e) => e.aggregateId === aggregateId).map((e) => e.type);
    expect(mine).toEqual(['test.one', 'test.two']);
    // Published events are not relayed again.
    seen.length = 0;
    await relay.drain();
    expect(seen.filter((e) => e.aggregateId === aggregateId)).toEqual([]);
    await relay.stop();
  });

  it('prepares a listener once per batch with its own events before handling them; a failed preparation is skipped', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const aggregateId = crypto.randomUUID();
    for (const type of ['test.p1', 'test.other', 'test.p2'])
      await recordDomainEvent(ctx.db, ws.system, { type, aggregateType: 'test', aggregateId });
    const calls: string[] = [];
    const relay = new OutboxRelay(
      ctx.database,
      [
        {
          name: 'prepared',
          handles: ['test.p1', 'test.p2'],
          prepare: async (events) => {
            calls.push(
              `prepare ${events
                .filter((e) => e.aggregateId === aggregateId)
                .map((e) => e.type)
                .join(',')}`,
            );
          },
          handle: async (e) => void (e.aggregateId === aggregateId && calls.push(`handle ${e.type}`)),
        },
      ],
      silent,
    );
    await relay.drain();
    expect(calls.filter((c) => c !== 'prepare ')).toEqual(['prepare test.p1,test.p2', 'handle test.p1', 'handle test.p2']);
    const again = crypto.randomUUID();
    await recordDomainEvent(ctx.db, ws.system, { type: 'test.p1', aggregateType: 'test', aggregateId: again });
    const handled: string[] = [];
    const failing = new OutboxRelay(
      ctx.database,
      [
        {
          name: 'prepared',
          handles: ['test.p1'],
          prepare: async () => {
            throw new Error('prepare failed');
          },
          handle: async (e) => void (e.aggregateId === again && handled.push(e.type)),
        },
      ],
      silent,
    );
    await failing.drain();
    // The batch ran again event by event: the preparation logged and skipped, the event handled.
    expect(handled).toEqual(['test.p1']);
    await relay.stop();
    await failing.stop();
  });

  it("keeps relaying when one listener fails, undoing that listener's writes alone", async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const aggregateId = crypto.randomUUID();
    await recordDomainEvent(ctx.db, ws.system, { type: 'test.x', aggregateType: 'test', aggregateId });
    await recordDomainEvent(ctx.db, ws.system, { type: 'test.y', aggregateType: 'test', aggregateId });
    const queue = unique('relay-writes');
    const relay = new OutboxRelay(
      ctx.database,
      [
        {
          name: 'broken',
          handles: ['test.x'],
          handle: async (e, tx) => {
            await enqueueJob(tx, queue, { by: 'broken', event: e.type });
            throw new Error('boom');
          },
        },
        {
          name: 'healthy',
          handles: ['test.x', 'test.y'],
          handle: async (e, tx) => enqueueJob(tx, queue, { by: 'healthy', event: e.type }),
        },
      ],
      silent,
    );
    await relay.drain();
    const written = await ctx.db.selectFrom('jobs').select('payload').where('queue', '=', queue).orderBy('id').execute();
    // Each handled once (the batch that failed was undone and run again listener by listener).
    expect(written.map((j) => j.payload)).toEqual([
      { by: 'healthy', event: 'test.x' },
      { by: 'healthy', event: 'test.y' },
    ]);
    await relay.stop();
  });
});

describe('relay lanes', () => {
  it('hands each event to each lane once, and a lane does not wait for the other', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const aggregateId = crypto.randomUUID();
    await recordDomainEvent(ctx.db, ws.system, { type: 'test.lane', aggregateType: 'test', aggregateId });
    const main: string[] = [];
    const live: string[] = [];
    let releaseMain: () => void = () => undefined;
    const mainBlocked = new Promise<void>((resolve) => (releaseMain = resolve));
    const mainRelay = new OutboxRelay(
      ctx.database,
      [
        {
          name: 'slow',
          handles: ['test.lane'],
          handle: async (e) => {
            if (e.aggregateId === aggregateId) await mainBlocked;
            main.push(e.aggregateId);
          },
        },
      ],
      silent,
    );
    const liveRelay = new OutboxRelay(
      ctx.database,
      [{ name: 'live', handles: ['test.lane'], handle: async (e) => void live.push(e.aggregateId) }],
      silent,
      1000,
      'realtime',
    );
    const mainDone = mainRelay.drain();
    if (ctx.database.kind === 'postgres') {
      // The main lane holds its batch open; the realtime lane relays the same event meanwhile.
      await liveRelay.drain();
      expect(live.filter((id) => id === aggregateId)).toHaveLength(1);
      expect(main).not.toContain(aggregateId);
    }
    releaseMain();
    await mainDone;
    await liveRelay.drain();
    await mainRelay.drain();
    await liveRelay.drain();
    expect(main.filter((id) => id === aggregateId)).toHaveLength(1);
    expect(live.filter((id) => id === aggregateId)).toHaveLength(1);
    await mainRelay.stop();
    await liveRelay.stop();
  });
});

describe('job queue', () => {
  it('runs due jobs once, retries failures with backoff, and gives up after max attempts', async () => {
    const ctx = await getTestContext();
    const queue = unique('q');
    const ran: string[] = [];
    const worker = new JobWorker(ctx.db, silent);
    worker.register({
      queue,
      run: async (payload) => {
        ran.push(String(payload.n));
        if (payload.n === 'bad') throw new Error('always fails');
      },
    });
    await enqueueJob(ctx.db, queue, { n: 'good' });
    await enqueueJob(ctx.db, queue, { n: 'bad' }, { maxAttempts: 2 });
    await enqueueJob(ctx.db, queue, { n: 'later' }, { runAt: new Date(Date.now() + 3_600_000) });
    await worker.runDue();
    expect(ran.sort()).toEqual(['bad', 'good']);
    // The failed job waits for its backoff; running it "later" retries, then it is failed for good.
    await worker.runDue(new Date(Date.now() + 10 * 60_000));
    const rows = await ctx.db
      .selectFrom('jobs')
      .select(['payload', 'status', 'attempts', 'last_error'])
      .where('queue', '=', queue)
      .execute();
    const byName = Object.fromEntries(rows.map((r) => [String(r.payload.n), r]));
    expect(byName.good).toMatchObject({ status: 'done', attempts: 1 });
    expect(byName.bad).toMatchObject({ status: 'failed', attempts: 2, last_error: 'always fails' });
    expect(byName.later).toMatchObject({ status: 'queued', attempts: 0 });
    await worker.stop();
  });

  it('de-duplicates pending jobs by singleton key', async () => {
    const ctx = await getTestContext();
    const queue = unique('q');
    await enqueueJob(ctx.db, queue, {}, { singletonKey: 'daily' });
    await enqueueJob(ctx.db, queue, {}, { singletonKey: 'daily' });
    const count = await ctx.db
      .selectFrom('jobs')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('queue', '=', queue)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1000);
    expect(retryDelayMs(1, () => 1)).toBe(2000);
    expect(retryDelayMs(3, () => 1)).toBe(8000);
    expect(retryDelayMs(30, () => 1)).toBe(3_600_000);
  });
});

describe('idempotency keys', () => {
  it('returns the first result for a repeated key and refuses the key for another request', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    let created = 0;
    const create = async () => ({ statusCode: 201, body: { n: ++created } });
    const guard = { workspaceId: ws.id, principal: 'agent:x', key: 'key-1', requestHash: hashRequest('POST', '/x', { a: 1 }) };
    const first = await withIdempotency(ctx.db, guard, create);
    const second = await withIdempotency(ctx.db, guard, create);
    expect(first).toEqual({ statusCode: 201, body: { n: 1 }, replayed: false });
    expect(second).toEqual({ statusCode: 201, body: { n: 1 }, replayed: true });
    expect(created).toBe(1);
    await expect(withIdempotency(ctx.db, { ...guard, requestHash: hashRequest('POST', '/x', { a: 2 }) }, create)).rejects.toMatchObject({
      code: 'idempotency.key_reused',
    });
  });

  it('stores nothing when the create fails, so a retry runs again', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const guard = { workspaceId: ws.id, principal: 'agent:y', key: 'key-2', requestHash: 'h' };
    await expect(withIdempotency(ctx.db, guard, async () => Promise.reject(new AppError('validation', 'bad', 'bad')))).rejects.toThrow(
      'bad',
    );
    const retry = await withIdempotency(ctx.db, guard, async () => ({ statusCode: 201, body: 'ok' }));
    expect(retry.replayed).toBe(false);
  });
});

describe('rate limits', () => {
  it('allows the limit, then answers rate_limited with the seconds left in the window', async () => {
    const ctx = await getTestContext();
    const rule = { bucket: unique('bucket'), limit: 3, windowSeconds: 60 };
    const now = new Date('2026-11-23T10:00:15Z');
    for (let i = 0; i < 3; i++) await hitRateLimit(ctx.db, rule, now);
    const error = await hitRateLimit(ctx.db, rule, now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(45);
    // The next window starts fresh.
    await hitRateLimit(ctx.db, rule, new Date('2026-11-23T10:01:01Z'));
  });

  it('counts several hits in one statement the way one hit at a time does, a shared bucket in order', async () => {
    const ctx = await getTestContext();
    const busy = { bucket: unique('bucket'), limit: 3, windowSeconds: 60 };
    const quiet = { bucket: unique('bucket'), limit: 3, windowSeconds: 60 };
    const now = new Date('2026-11-23T10:00:15Z');
    await hitRateLimit(ctx.db, busy, now);
    const outcomes = await hitRateLimits(ctx.db, [busy, quiet, busy, busy], now);
    // busy: hits 2 and 3 pass, hit 4 is over; quiet: its first hit.
    expect(outcomes.map((o) => o === null)).toEqual([true, true, true, false]);
    expect(outcomes[3]).toBeInstanceOf(RateLimitedError);
    expect(outcomes[3]!.retryAfterSeconds).toBe(45);
    // Both windows counted every hit, refused ones included (as hitRateLimit does).
    await expect(hitRateLimit(ctx.db, busy, now)).rejects.toBeInstanceOf(RateLimitedError);
    await hitRateLimit(ctx.db, quiet, now);
    await hitRateLimit(ctx.db, quiet, now);
    await expect(hitRateLimit(ctx.db, quiet, now)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await hitRateLimits(ctx.db, [])).toEqual([]);
  });
});

describe('audit log', () => {
  it('is append-only in the database', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    await recordAudit(ctx.db, ws.system, { action: 'test.done', targetType: 'workspace', targetId: ws.id });
    await expect(ctx.db.updateTable('audit_log').set({ action: 'rewritten' }).where('workspace_id', '=', ws.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.deleteFrom('audit_log').where('workspace_id', '=', ws.id).execute()).rejects.toThrow(/append-only/);
  });
});

describe('signed expiring values', () => {
  it('verifies, expires and refuses forgeries', () => {
    const sig = signExpiring('secret', 'file:1', new Date(Date.now() + 60_000));
    expect(verifyExpiring('secret', 'file:1', sig)).toBe('ok');
    expect(verifyExpiring('secret', 'file:2', sig)).toBe('invalid');
    expect(verifyExpiring('other', 'file:1', sig)).toBe('invalid');
    expect(verifyExpiring('secret', 'file:1', 'garbage')).toBe('invalid');
    expect(verifyExpiring('secret', 'file:1', sig, new Date(Date.now() + 120_000))).toBe('expired');
  });
});
