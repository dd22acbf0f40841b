import type { Db } from '../../db/database.js';
import { isBusinessTime, nextBusinessStart } from './business-time.js';
import { findScheduleForClock, teamScheduleId } from './schedule-store.js';
import { scheduleOfRow } from './schedule-views.js';

export interface TeamHoursNow {
  /** Inside the team's business hours (a team without any hours, and no workspace default, is always open). */
  open: boolean;
  /** When closed: the next opening (null when open, or when no opening is found within the search limit). */
  nextOpenAt: Date | null;
  timeZone: string;
}

/**
 * Whether a team is within its business hours right now: its own schedule, else the workspace
 * default (the same hours its SLA clocks count in). For Baton's own use (the chat widget's online
 * state is public): no actor check, the caller has already resolved the workspace.
 */
export async function teamHoursNow(db: Db, workspaceId: string, teamId: string | null, at = new Date()): Promise<TeamHoursNow> {
  const ownId = teamId ? await teamScheduleId(db, workspaceId, teamId) : null;
  const row =
    (ownId ? await findScheduleForClock(db, workspaceId, { id: ownId }) : undefined) ??
    (await findScheduleForClock(db, workspaceId, 'default'));
  if (!row) return { open: true, nextOpenAt: null, timeZone: 'UTC' };
  const schedule = scheduleOfRow(row);
  if (isBusinessTime(schedule, at)) return { open: true, nextOpenAt: null, timeZone: row.time_zone };
  let nextOpenAt: Date | null = null;
  try {
    nextOpenAt = nextBusinessStart(schedule, at);
  } catch {
    // No opening within the search limit (a schedule of holidays only): closed, no date to promise.
  }
  return { open: false, nextOpenAt, timeZone: row.time_zone };
}
