import { CALENDAR, type BusinessSchedule } from './business-hours.js';
import { addBusinessMillis, BusinessTimeError, businessMillisBetween } from './business-time.js';
import type { TargetRow } from './clock-store.js';

/** Clock arithmetic of one target, free of storage: elapsed time, due and warning instants. */

export const MINUTE = 60_000;

export const scheduleOf = (schedule: BusinessSchedule | null): BusinessSchedule => schedule ?? CALENDAR;

type Clocked = Pick<TargetRow, 'elapsed_ms' | 'running_since'>;

/** Policy time counted on a target up to `at` (what elapsed before, plus the running stretch). */
export function elapsedAt(schedule: BusinessSchedule, target: Clocked, at: Date): number {
  const running = target.running_since ? businessMillisBetween(schedule, target.running_since, at) : 0;
  return Number(target.elapsed_ms) + running;
}

/** The instant `millis` of policy time after `from`, or null when it lies beyond the search limit. */
export function instantAfter(schedule: BusinessSchedule, from: Date, millis: number): Date | null {
  try {
    return addBusinessMillis(schedule, from, Math.max(0, millis));
  } catch (error) {
    if (error instanceof BusinessTimeError) return null;
    throw error;
  }
}

/**
 * Due and warning instants of a running target (running_since set). A breached target keeps the
 * due time it breached at and needs no warning; a target already past its warning threshold is
 * warned at once unless it was warned in this cycle. Warnings apply only to targets longer than
 * the warning threshold.
 */
export function timersOf(
  schedule: BusinessSchedule,
  target: Pick<TargetRow, 'elapsed_ms' | 'running_since' | 'target_minutes' | 'warned_at' | 'breached_at' | 'due_at'>,
  warningMinutes: number,
): { due_at: Date | null; warn_at: Date | null } {
  if (!target.running_since) return { due_at: target.breached_at ? target.due_at : null, warn_at: null };
  if (target.breached_at) return { due_at: target.due_at, warn_at: null };
  const targetMs = target.target_minutes * MINUTE;
  const elapsed = Number(target.elapsed_ms);
  const due = instantAfter(schedule, target.running_since, targetMs - elapsed);
  const warningMs = warningMinutes * MINUTE;
  let warn: Date | null = null;
  if (warningMs > 0 && warningMs < targetMs && !target.warned_at) {
    warn = instantAfter(schedule, target.running_since, targetMs - warningMs - elapsed);
  }
  return { due_at: due, warn_at: warn };
}
