import type { Db } from '../db/database.js';
import { enqueueJob, type JobHandler } from './jobs.js';
import { pruneRateLimits } from './rate-limit.js';

export const MAINTENANCE_QUEUE = 'platform.maintenance';
const HOUR = 3_600_000;

/**
 * Hourly housekeeping, as a durable job so exactly one process runs it per hour: old rate-limit
 * windows, expired sessions, idempotency keys past 24 hours (the window clients may retry in),
 * finished jobs older than a week.
 */
export const maintenanceJob: JobHandler = {
  queue: MAINTENANCE_QUEUE,
  async run(_payload, db) {
    const now = Date.now();
    await pruneRateLimits(db, new Date(now - 2 * HOUR));
    await db.deleteFrom('agent_sessions').where('expires_at', '<', new Date(now)).execute();
    await db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', new Date(now - 24 * HOUR))
      .execute();
    await db
      .deleteFrom('jobs')
      .where('status', 'in', ['done', 'failed'])
      .where('finished_at', '<', new Date(now - 7 * 24 * HOUR))
      .execute();
    await scheduleMaintenance(db, new Date(now + HOUR));
  },
};

/** Schedules the next run; the hour in the singleton key makes concurrent schedulers agree on one job. */
export async function scheduleMaintenance(db: Db, at = new Date()): Promise<void> {
  const slot = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
  await enqueueJob(db, MAINTENANCE_QUEUE, {}, { runAt: slot, singletonKey: slot.toISOString() });
}
