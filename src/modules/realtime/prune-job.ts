import type { Db } from '../../db/database.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { pruneRealtimeEvents } from './event-store.js';

export const REALTIME_PRUNE_QUEUE = 'realtime.prune';
const HOUR = 3_600_000;
/** How far back a reconnecting client can resume; further behind it refetches (resync_required). */
export const REALTIME_RETENTION_MS = 24 * HOUR;

/** Hourly: the event log keeps the last day (a ring); older rows go. */
export const realtimePruneJob: JobHandler = {
  queue: REALTIME_PRUNE_QUEUE,
  async run(_payload, db) {
    await pruneRealtimeEvents(db, new Date(Date.now() - REALTIME_RETENTION_MS));
    await scheduleRealtimePrune(db, new Date(Date.now() + HOUR));
  },
};

export async function scheduleRealtimePrune(db: Db, at = new Date()): Promise<void> {
  const slot = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
  await enqueueJob(db, REALTIME_PRUNE_QUEUE, {}, { runAt: slot, singletonKey: slot.toISOString() });
}
