import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { JobHandler } from '../../platform/jobs.js';
import { autoSolvePending, sendCheckin, sendPendingReminder } from './case-plans.js';
import { fireAgentReminder } from './reminders.js';
import { wakeSnooze } from './snooze.js';
import { FOLLOWUP_TIMER_QUEUE, type FollowupTimerPayload } from './timers.js';

/**
 * The follow-up timer job. Each kind checks, under row locks in one transaction, that what it was
 * planned for still stands and marks it done in that transaction: after a restart an overdue job
 * runs once when a worker claims it, and a duplicate or racing job finds nothing left to do.
 */

export type FollowupOutcome = 'fired' | 'stale';

export async function fireFollowupTimer(ctx: AppContext, db: Db, payload: FollowupTimerPayload): Promise<FollowupOutcome> {
  const actor = systemActor(payload.workspace_id, `followup ${payload.kind}`);
  try {
    const fired = await inTransaction(db, async (tx) => {
      switch (payload.kind) {
        case 'snooze_wake':
          return wakeSnooze(ctx, tx, actor, payload);
        case 'pending_reminder':
          return sendPendingReminder(ctx, tx, actor, payload);
        case 'pending_solve':
          return autoSolvePending(tx, actor, payload);
        case 'checkin':
          return sendCheckin(ctx, tx, actor, payload);
        case 'agent_reminder':
          return fireAgentReminder(ctx, tx, actor, payload);
      }
    });
    return fired ? 'fired' : 'stale';
  } catch (error) {
    // The case is gone (deleted with its workspace) or can no longer change: nothing to retry.
    if (error instanceof AppError && (error.kind === 'not_found' || error.code === 'case.closed')) return 'stale';
    throw error;
  }
}

export function followupTimerJob(ctx: AppContext): JobHandler {
  return {
    queue: FOLLOWUP_TIMER_QUEUE,
    async run(payload, db) {
      await fireFollowupTimer(ctx, db, payload as FollowupTimerPayload);
    },
  };
}
