import type { Db } from '../../db/database.js';
import { enqueueJob } from '../../platform/jobs.js';

/**
 * Durable follow-up timers on the job queue (one queue, five kinds). Like the SLA timers, a job
 * names the row and the instant (and cycle) it was planned for; when the row moved on (snooze
 * ended, case left pending, reopened, reminder deleted) the job finds it changed and does
 * nothing, so stale jobs need no cleanup. The singleton key keeps one queued job per plan, and
 * the check-and-mark under a row lock makes a duplicate or a late job after a restart a no-op.
 */
export const FOLLOWUP_TIMER_QUEUE = 'followups.timer';

export type FollowupTimerKind = 'snooze_wake' | 'pending_reminder' | 'pending_solve' | 'checkin' | 'agent_reminder';

export interface FollowupTimerPayload {
  [key: string]: string | number;
  kind: FollowupTimerKind;
  workspace_id: string;
  case_id: string;
  /** The snooze or agent reminder id; for plan timers the case id again. */
  ref_id: string;
  /** The pending or solve cycle (0 for snoozes and agent reminders). */
  cycle: number;
  /** The planned instant (ISO); the job acts only while the row still plans it. */
  at: string;
}

export const DAY_MS = 86_400_000;

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

export interface PlannedTimer {
  kind: FollowupTimerKind;
  workspace_id: string;
  case_id: string;
  ref_id: string;
  cycle: number;
  at: Date;
}

export async function planTimer(tx: Db, timer: PlannedTimer): Promise<void> {
  const payload: FollowupTimerPayload = {
    kind: timer.kind,
    workspace_id: timer.workspace_id,
    case_id: timer.case_id,
    ref_id: timer.ref_id,
    cycle: timer.cycle,
    at: timer.at.toISOString(),
  };
  await enqueueJob(tx, FOLLOWUP_TIMER_QUEUE, payload, {
    runAt: timer.at,
    singletonKey: `followup:${timer.kind}:${timer.ref_id}:${timer.cycle}:${timer.at.getTime()}`,
    maxAttempts: 10,
  });
}

/** Whether a stored instant is the one the job was planned for. */
export function plansInstant(stored: Date | null, at: string): boolean {
  return stored !== null && stored.getTime() === Date.parse(at);
}
