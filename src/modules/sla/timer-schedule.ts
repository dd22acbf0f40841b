import type { Db } from '../../db/database.js';
import { enqueueJob } from '../../platform/jobs.js';
import type { TargetRow } from './clock-store.js';

/**
 * Durable timers of a target: one warning job and one breach job on the job queue, due at the
 * target's warn_at and due_at. A job names the instant and cycle it was planned for; when the
 * target moved on (paused, met, re-planned) the job finds the row changed and does nothing, so
 * stale jobs need no cleanup. The singleton key keeps one pending job per planned instant.
 */
export const SLA_TIMER_QUEUE = 'sla.timer';

export type TimerKind = 'warning' | 'breach';

export interface TimerPayload {
  [key: string]: string | number;
  workspace_id: string;
  case_id: string;
  target_id: string;
  kind: TimerKind;
  cycle: number;
  /** The planned instant (ISO); the job fires only while the target still plans it. */
  at: string;
}

export async function scheduleTimers(tx: Db, target: TargetRow): Promise<void> {
  if (target.met_at || !target.running_since) return;
  const plan: [TimerKind, Date | null, boolean][] = [
    ['warning', target.warn_at, target.warned_at === null],
    ['breach', target.due_at, target.breached_at === null],
  ];
  for (const [kind, at, pending] of plan) {
    if (!at || !pending) continue;
    const payload: TimerPayload = {
      workspace_id: target.workspace_id,
      case_id: target.case_id,
      target_id: target.id,
      kind,
      cycle: target.cycle,
      at: at.toISOString(),
    };
    await enqueueJob(tx, SLA_TIMER_QUEUE, payload, {
      runAt: at,
      singletonKey: `${target.id}:${kind}:${target.cycle}:${at.getTime()}`,
      maxAttempts: 10,
    });
  }
}

/** Whether the target still plans what the job was scheduled for (else the job is stale: a no-op). */
export function timerStillDue(target: TargetRow, payload: Pick<TimerPayload, 'kind' | 'cycle' | 'at'>): boolean {
  if (target.met_at || !target.running_since || target.cycle !== payload.cycle) return false;
  const at = Date.parse(payload.at);
  if (payload.kind === 'breach') return target.breached_at === null && target.due_at?.getTime() === at;
  return target.warned_at === null && target.breached_at === null && target.warn_at?.getTime() === at;
}
