import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { enqueueJob, type JobHandler } from '../../../platform/jobs.js';
import { runScheduledAutomations } from './run.js';

/**
 * The recurring run of scheduled automations: a durable job every 15 minutes. The slot in the
 * singleton key makes every process that schedules it agree on one job per slot; a slot missed
 * while no worker ran is run once when one starts (the queued job is due), never once per slot.
 */
export const SCHEDULED_AUTOMATION_QUEUE = 'automation.scheduled';
export const SCHEDULED_EVERY_MS = 15 * 60_000;

/** The next slot strictly after `now`. */
export const nextScheduledSlot = (now = Date.now()): Date =>
  new Date(Math.floor(now / SCHEDULED_EVERY_MS) * SCHEDULED_EVERY_MS + SCHEDULED_EVERY_MS);

export async function scheduleScheduledAutomations(db: Db, at: Date = nextScheduledSlot()): Promise<void> {
  await enqueueJob(db, SCHEDULED_AUTOMATION_QUEUE, {}, { runAt: at, singletonKey: at.toISOString() });
}

export function scheduledAutomationJob(ctx: AppContext): JobHandler {
  return {
    queue: SCHEDULED_AUTOMATION_QUEUE,
    async run(_payload, db) {
      try {
        await runScheduledAutomations(ctx);
      } finally {
        // The next slot is queued even when this run failed: a retry of this job and the next slot
        // may overlap, which the per-case locks make harmless.
        await scheduleScheduledAutomations(db);
      }
    },
  };
}
