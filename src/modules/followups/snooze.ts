import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { validationError } from '../../platform/errors.js';
import { getCase, lockCase, recordCaseChange, updateCaseLocked } from '../cases/service.js';
import { notifyAgent } from './notify.js';
import { deleteSnooze, findSnooze, putSnooze, type SnoozeRow } from './snooze-store.js';
import { planTimer, plansInstant, DAY_MS, type FollowupTimerPayload } from './timers.js';
import { snoozeView, type SnoozeView } from './views.js';

/**
 * Snoozing a case: it waits on_hold (the SLA clocks pause there) until a date, then comes back
 * open and its assignee hears about it. A customer message or a manual status change ends the
 * snooze early (followup listener). Every start and end is in the case history.
 */

export function assertFutureWithinYear(at: Date, field: string, now = new Date()): void {
  if (Number.isNaN(at.getTime())) throw validationError('followup.invalid_date', 'Not a valid date and time', { field });
  if (at.getTime() <= now.getTime()) throw validationError('followup.date_in_past', 'Pick a time in the future', { field });
  if (at.getTime() > now.getTime() + 365 * DAY_MS) {
    throw validationError('followup.date_too_far', 'Pick a time within one year', { field });
  }
}

export async function snoozeCase(
  db: Db,
  actor: Actor,
  caseId: string,
  input: { until: Date; note?: string | undefined },
): Promise<SnoozeView> {
  return inTransaction(db, async (tx) => {
    // A case the caller may not see is a 404 whatever the input.
    await getCase(tx, actor, caseId);
    assertFutureWithinYear(input.until, 'until');
    // Locks the case, checks case.write and the status machine (a solved case cannot be snoozed).
    const kase = await updateCaseLocked(tx, actor, caseId, { status: 'on_hold' });
    const snooze = await putSnooze(tx, actor, {
      caseId: kase.id,
      until: input.until,
      note: input.note?.trim() ?? '',
      snoozedBy: actor.kind === 'agent' ? actor.agentId : null,
    });
    await recordCaseChange(tx, actor, {
      caseId: kase.id,
      type: 'snoozed',
      data: { until: snooze.until_at.toISOString(), note: snooze.note, snooze_id: snooze.id },
    });
    await planTimer(tx, {
      kind: 'snooze_wake',
      workspace_id: snooze.workspace_id,
      case_id: kase.id,
      ref_id: snooze.id,
      cycle: 0,
      at: snooze.until_at,
    });
    return snoozeView(snooze);
  });
}

export type SnoozeEndReason = 'cancelled' | 'until_reached' | 'customer_message' | 'status_changed';

/** Ends the case's snooze in the caller's transaction (the case row is locked by the caller or here). */
async function endSnooze(tx: Db, actor: Actor, snooze: SnoozeRow, reason: SnoozeEndReason, reopen: boolean): Promise<void> {
  await deleteSnooze(tx, actor, snooze.case_id);
  if (reopen) {
    const kase = await getCase(tx, actor, snooze.case_id);
    if (kase.status === 'on_hold') await updateCaseLocked(tx, actor, snooze.case_id, { status: 'open' });
  }
  await recordCaseChange(tx, actor, {
    caseId: snooze.case_id,
    type: 'snooze_ended',
    data: { reason, until: snooze.until_at.toISOString(), snooze_id: snooze.id },
  });
}

/** An agent ends the snooze before its time: the case comes back open. */
export async function unsnoozeCase(db: Db, actor: Actor, caseId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const kase = await getCase(tx, actor, caseId);
    // The write permission, and the case row locked against a racing wake job.
    await lockCase(tx, actor, kase.id);
    const snooze = await findSnooze(tx, actor, kase.id, { forUpdate: true });
    if (!snooze) throw validationError('followup.not_snoozed', 'This case is not snoozed', { field: 'case_id' });
    await endSnooze(tx, actor, snooze, 'cancelled', true);
  });
}

export async function getSnooze(db: Db, actor: Actor, caseId: string): Promise<SnoozeView | null> {
  const kase = await getCase(db, actor, caseId);
  const snooze = await findSnooze(db, actor, kase.id);
  return snooze ? snoozeView(snooze) : null;
}

/** The wake job: the snooze still planned for this instant ends, the case opens, the assignee hears. */
export async function wakeSnooze(ctx: AppContext, tx: Db, actor: Actor, payload: FollowupTimerPayload): Promise<boolean> {
  await lockCase(tx, actor, payload.case_id);
  const snooze = await findSnooze(tx, actor, payload.case_id, { forUpdate: true });
  if (!snooze || snooze.id !== payload.ref_id || !plansInstant(snooze.until_at, payload.at)) return false;
  await endSnooze(tx, actor, snooze, 'until_reached', true);
  const kase = await getCase(tx, actor, payload.case_id);
  if (kase.assignee) await notifyAgent(ctx, tx, actor, kase.assignee.id, kase, 'snooze_ended', snooze.note);
  return true;
}

/** A customer wrote on a snoozed case (after it was snoozed): the snooze ends, the case opens. */
export async function endSnoozeOnCustomerMessage(tx: Db, actor: Actor, caseId: string, messageAt: Date): Promise<boolean> {
  await lockCase(tx, actor, caseId);
  const snooze = await findSnooze(tx, actor, caseId, { forUpdate: true });
  if (!snooze || snooze.created_at.getTime() > messageAt.getTime()) return false;
  await endSnooze(tx, actor, snooze, 'customer_message', true);
  return true;
}

/** Someone moved the case out of on_hold by hand: a snooze still stored is over. */
export async function endSnoozeOnStatusChange(tx: Db, actor: Actor, caseId: string): Promise<boolean> {
  await lockCase(tx, actor, caseId);
  const kase = await getCase(tx, actor, caseId);
  // Snoozed again since that change (the case is on hold once more): that snooze stands.
  if (kase.status === 'on_hold') return false;
  const snooze = await findSnooze(tx, actor, caseId, { forUpdate: true });
  if (!snooze) return false;
  await endSnooze(tx, actor, snooze, 'status_changed', false);
  return true;
}
