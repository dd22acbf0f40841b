import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../db/database.js';
import { PostgresRealtimeBus, type LiveSignal } from './bus.js';

/**
 * Realtime over Redis (BATON_REDIS_URL): wake-ups ("events up to id N are committed") and live
 * signals (typing, viewing) go through Redis PUBLISH instead of PostgreSQL NOTIFY, whose global
 * queue lock serializes every notifying commit. The events themselves stay in PostgreSQL's
 * realtime_events (resume reads them there), and the slow poll still finds events whose wake-up
 * was lost (a process that died between its commit and its publish).
 */
export const REDIS_EVENTS_CHANNEL = 'baton:realtime:events';
export const REDIS_LIVE_CHANNEL = 'baton:realtime:live';

/** One connection per process for publishing (a subscribed connection cannot publish). */
const publishers = new Map<string, Redis>();

function redisClient(url: string, name: string): Redis {
  // Commands wait while the connection is down and are retried on reconnect; the poll covers the gap.
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 3, lazyConnect: false });
}

export function realtimeRedisPublisher(url: string): Redis {
  let client = publishers.get(url);
  if (!client) {
    client = redisClient(url, 'baton-realtime-publish');
    publishers.set(url, client);
  }
  return client;
}

/** Closes this process's publishing connections (shut-down, tests). */
export async function closeRealtimeRedisPublishers(): Promise<void> {
  const clients = [...publishers.values()];
  publishers.clear();
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
}

/** Tells every process that events up to `lastId` are committed (after the commit). */
export async function publishRealtimeWake(url: string, lastId: number): Promise<void> {
  await realtimeRedisPublisher(url).publish(REDIS_EVENTS_CHANNEL, String(lastId));
}

export class RedisRealtimeBus extends PostgresRealtimeBus {
  private subscriber: Redis | undefined;

  constructor(
    database: DatabaseHandle,
    private readonly redisUrl: string,
    logger: Logger,
    pollMs = 2000,
  ) {
    super(database, logger, pollMs);
  }

  protected override async listenForSignals(): Promise<void> {
    const subscriber = redisClient(this.redisUrl, 'baton-realtime-subscribe');
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.warn({ err: error }, 'realtime Redis connection problem'));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === REDIS_EVENTS_CHANNEL) this.wake();
      else if (channel === REDIS_LIVE_CHANNEL) this.receiveLive(message);
    });
    // Resubscribes by itself after a reconnect; events committed meanwhile are found by the next wake-up or poll.
    subscriber.on('ready', () => this.wake());
    await subscriber.subscribe(REDIS_EVENTS_CHANNEL, REDIS_LIVE_CHANNEL);
  }

  override async publishLive(signal: LiveSignal): Promise<void> {
    await realtimeRedisPublisher(this.redisUrl).publish(REDIS_LIVE_CHANNEL, JSON.stringify({ ...signal, processId: this.processId }));
  }

  override async stop(): Promise<void> {
    await super.stop();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}
