import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { recordDomainEvent } from '../../platform/outbox.js';
import { OutboxRelay } from '../../platform/outbox-relay.js';
import { createWorkspace } from '../../test/factories.js';
import { getTestContext } from '../../test/harness.js';
import { redisReachable, TEST_REDIS_URL } from '../../test/redis.js';
import type { LiveSignal } from './bus.js';
import type { RealtimeEvent } from './event-store.js';
import { realtimePublisher } from './publisher.js';
import { closeRealtimeRedisPublishers, RedisRealtimeBus } from './redis-bus.js';

const REDIS_URL = TEST_REDIS_URL;
const silent = pino({ level: 'silent' });

const reachable = await redisReachable();
if (!reachable) console.warn(`\n*** Redis realtime bus tests SKIPPED: no Redis at ${REDIS_URL} (set TEST_REDIS_URL) ***\n`);

afterAll(async () => {
  await closeRealtimeRedisPublishers();
});

describe.skipIf(!reachable)('realtime over Redis (BATON_REDIS_URL)', () => {
  it('wakes another process after the commit, without NOTIFY and long before its poll, with each event once and in order', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    // An hour between polls: only a Redis wake-up can deliver within the test.
    const other = new RedisRealtimeBus(ctx.database, REDIS_URL, silent, 3_600_000);
    const seen: RealtimeEvent[] = [];
    other.onEvent((event) => {
      if (event.workspaceId === ws.id) seen.push(event);
    });
    await other.start();
    const notified: string[] = [];
    const unlisten = await ctx.database.listen('baton_realtime', (payload) => notified.push(payload));

    const relay = new OutboxRelay(ctx.database, [realtimePublisher({ redisUrl: REDIS_URL })], silent, 3_600_000, 'realtime');
    const caseIds = [crypto.randomUUID(), crypto.randomUUID()];
    await ctx.db.transaction().execute(async (tx) => {
      for (const id of caseIds)
        await recordDomainEvent(tx, ws.system, { type: 'case.status_changed', aggregateType: 'case', aggregateId: id });
    });
    await relay.drain();
    await expect.poll(() => seen.map((e) => e.caseId), { timeout: 5000 }).toEqual(caseIds);
    expect(seen[0]!.id).toBeLessThan(seen[1]!.id);
    // The relay told nobody through PostgreSQL.
    expect(notified).toEqual([]);

    // Relayed again (a batch taken over): nothing new, nothing twice.
    await relay.drain();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.map((e) => e.caseId)).toEqual(caseIds);

    await relay.stop();
    await unlisten();
    await other.stop();
  });

  it('carries live signals (typing, viewing) to every process, never storing them', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const a = new RedisRealtimeBus(ctx.database, REDIS_URL, silent, 3_600_000);
    const b = new RedisRealtimeBus(ctx.database, REDIS_URL, silent, 3_600_000);
    const heardByB: LiveSignal[] = [];
    b.onLive((signal) => {
      if (signal.workspaceId === ws.id) heardByB.push(signal);
    });
    await a.start();
    await b.start();
    const signal: LiveSignal = {
      kind: 'typing',
      workspaceId: ws.id,
      caseId: crypto.randomUUID(),
      from: 'agent',
      agentId: crypto.randomUUID(),
      name: 'Alex',
      connectionId: 'c1',
    };
    const before = await ctx.db
      .selectFrom('realtime_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await a.publishLive(signal);
    await expect.poll(() => heardByB.length, { timeout: 5000 }).toBe(1);
    expect(heardByB[0]).toMatchObject({ ...signal, processId: a.processId });
    const after = await ctx.db
      .selectFrom('realtime_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    await a.stop();
    await b.stop();
  });
});
