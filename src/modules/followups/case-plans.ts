import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { getCase, recordCaseChange, updateCaseLocked } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { deliverFollowup } from './deliver.js';
import { findPlan, lockPlan, updatePlan } from './plan-store.js';
import { builtInText, customerLocale, renderFollowupText, type FollowupText } from './render.js';
import { effectiveSettings } from './settings.js';
import { addDays, planTimer, plansInstant, type FollowupTimerPayload } from './timers.js';

/**
 * The pending cycle and the solve cycle of a case. Entering pending starts a cycle: a reminder
 * to the customer N days later, then (still silent) the case is solved M days after it. Being
 * solved starts a solve cycle: a check-in K days later while the case stays solved or closed.
 * Each cycle has a number; jobs carry it, so a case that left pending (a customer reply moves it
 * to open) or was reopened makes the old jobs no-ops, and each step happens once per cycle.
 */

/** The case entered pending at `at` (listener on case.status_changed). */
export async function startPendingCycle(tx: Db, actor: Actor, caseId: string, at: Date): Promise<void> {
  const kase = await getCase(tx, actor, caseId);
  const plan = await lockPlan(tx, actor, caseId);
  if (kase.status !== 'pending') return;
  const settings = await effectiveSettings(tx, actor, caseId);
  const days = settings.pending_reminder_after_days;
  const due = days ? addDays(at, days) : null;
  const cycle = plan.pending_cycle + 1;
  await updatePlan(tx, actor, caseId, {
    pending_cycle: cycle,
    pending_since: at,
    reminder_due_at: due,
    reminder_sent_at: null,
    solve_due_at: null,
    auto_solved_at: null,
  });
  if (due)
    await planTimer(tx, { kind: 'pending_reminder', workspace_id: actor.workspaceId, case_id: caseId, ref_id: caseId, cycle, at: due });
}

/** The case left pending, or the customer wrote: what was planned for this cycle is off. */
export async function endPendingCycle(tx: Db, actor: Actor, caseId: string): Promise<void> {
  const plan = await findPlan(tx, actor, caseId, { forUpdate: true });
  if (!plan || (plan.reminder_due_at === null && plan.solve_due_at === null)) return;
  await updatePlan(tx, actor, caseId, { reminder_due_at: null, solve_due_at: null });
}

/** The case was solved at `at`: a new solve cycle, with a check-in when configured. */
export async function startSolveCycle(tx: Db, actor: Actor, caseId: string, at: Date): Promise<void> {
  const kase = await getCase(tx, actor, caseId);
  const plan = await lockPlan(tx, actor, caseId);
  if (kase.status !== 'solved' && kase.status !== 'closed') return;
  const settings = await effectiveSettings(tx, actor, caseId);
  const days = settings.checkin_after_days;
  const due = days ? addDays(at, days) : null;
  const cycle = plan.solve_cycle + 1;
  await updatePlan(tx, actor, caseId, { solve_cycle: cycle, solved_since: at, checkin_due_at: due, checkin_sent_at: null });
  if (due) await planTimer(tx, { kind: 'checkin', workspace_id: actor.workspaceId, case_id: caseId, ref_id: caseId, cycle, at: due });
}

/** Reopened: no check-in for the solve cycle that ended. */
export async function endSolveCycle(tx: Db, actor: Actor, caseId: string): Promise<void> {
  const plan = await findPlan(tx, actor, caseId, { forUpdate: true });
  if (!plan || plan.checkin_due_at === null) return;
  await updatePlan(tx, actor, caseId, { checkin_due_at: null });
}

async function followupBody(tx: Db, actor: Actor, caseId: string, kind: FollowupText, configured: string | null): Promise<string> {
  const kase = await getCase(tx, actor, caseId);
  const customer = await getCustomer(tx, actor, kase.customer.id);
  const template = configured ?? builtInText(kind, customerLocale(customer.language));
  return renderFollowupText(tx, actor, caseId, template);
}

/** The reminder job: still pending in the same cycle and the customer silent -> remind, plan the solve. */
export async function sendPendingReminder(ctx: AppContext, tx: Db, actor: Actor, payload: FollowupTimerPayload): Promise<boolean> {
  await updateCaseLocked(tx, actor, payload.case_id, {});
  const plan = await findPlan(tx, actor, payload.case_id, { forUpdate: true });
  if (!plan || plan.pending_cycle !== payload.cycle || plan.reminder_sent_at || !plansInstant(plan.reminder_due_at, payload.at))
    return false;
  const kase = await getCase(tx, actor, payload.case_id);
  if (kase.status !== 'pending') return false;
  const settings = await effectiveSettings(tx, actor, kase.id);
  const body = await followupBody(tx, actor, kase.id, 'reminder', settings.reminder_body);
  const at = new Date(payload.at);
  const outcome = await deliverFollowup(ctx, tx, actor, kase, body, { followup: 'pending_reminder', cycle: payload.cycle });
  // Only a reminder the customer got may lead to solving the case without them.
  const solveDays = outcome.sent ? settings.pending_solve_after_days : null;
  const solveAt = solveDays ? addDays(at, solveDays) : null;
  await updatePlan(tx, actor, kase.id, { reminder_sent_at: at, solve_due_at: solveAt });
  await recordCaseChange(tx, actor, {
    caseId: kase.id,
    type: 'pending_reminder_sent',
    data: {
      cycle: payload.cycle,
      sent: outcome.sent,
      ...(outcome.sent ? { channel: outcome.channel } : { reason: outcome.reason }),
      solve_due_at: solveAt?.toISOString() ?? null,
      policy_id: settings.policyId,
    },
  });
  if (solveAt) {
    await planTimer(tx, {
      kind: 'pending_solve',
      workspace_id: actor.workspaceId,
      case_id: kase.id,
      ref_id: kase.id,
      cycle: payload.cycle,
      at: solveAt,
    });
  }
  return true;
}

/** The solve job: still pending in the same cycle after the reminder -> solved, saying why. */
export async function autoSolvePending(tx: Db, actor: Actor, payload: FollowupTimerPayload): Promise<boolean> {
  await updateCaseLocked(tx, actor, payload.case_id, {});
  const plan = await findPlan(tx, actor, payload.case_id, { forUpdate: true });
  if (!plan || plan.pending_cycle !== payload.cycle || plan.auto_solved_at || !plansInstant(plan.solve_due_at, payload.at)) return false;
  const kase = await getCase(tx, actor, payload.case_id);
  if (kase.status !== 'pending') return false;
  const at = new Date(payload.at);
  await updatePlan(tx, actor, kase.id, { auto_solved_at: at, solve_due_at: null });
  await recordCaseChange(tx, actor, {
    caseId: kase.id,
    type: 'auto_solved',
    data: {
      reason: 'no_customer_reply',
      cycle: payload.cycle,
      pending_since: plan.pending_since?.toISOString() ?? null,
      reminder_sent_at: plan.reminder_sent_at?.toISOString() ?? null,
    },
  });
  await updateCaseLocked(tx, actor, kase.id, { status: 'solved' });
  return true;
}

/** The check-in job: still solved (or closed) in the same solve cycle -> one check-in message. */
export async function sendCheckin(ctx: AppContext, tx: Db, actor: Actor, payload: FollowupTimerPayload): Promise<boolean> {
  await updateCaseLocked(tx, actor, payload.case_id, {});
  const plan = await findPlan(tx, actor, payload.case_id, { forUpdate: true });
  if (!plan || plan.solve_cycle !== payload.cycle || plan.checkin_sent_at || !plansInstant(plan.checkin_due_at, payload.at)) return false;
  const kase = await getCase(tx, actor, payload.case_id);
  if (kase.status !== 'solved' && kase.status !== 'closed') return false;
  const settings = await effectiveSettings(tx, actor, kase.id);
  const body = await followupBody(tx, actor, kase.id, 'checkin', settings.checkin_body);
  const at = new Date(payload.at);
  await updatePlan(tx, actor, kase.id, { checkin_sent_at: at });
  const outcome = await deliverFollowup(ctx, tx, actor, kase, body, { followup: 'checkin', cycle: payload.cycle });
  await recordCaseChange(tx, actor, {
    caseId: kase.id,
    type: 'checkin_sent',
    data: { cycle: payload.cycle, sent: outcome.sent, ...(outcome.sent ? { channel: outcome.channel } : { reason: outcome.reason }) },
  });
  return true;
}
