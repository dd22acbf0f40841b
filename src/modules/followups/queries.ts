import type { Db } from '../../db/database.js';
import type { Actor, AgentActor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { encodeCursor } from '../../http/pagination.js';
import { keysetAfter } from './cursor.js';
import { getCase, getCasesByIds } from '../cases/service.js';
import { findPlan } from './plan-store.js';
import { caseRef, listMyCaseReminders } from './reminders.js';
import { effectiveSettings } from './settings.js';
import { findSnooze, listSnoozedRows } from './snooze-store.js';
import { checkinPlanView, pendingPlanView, snoozeView, type CaseFollowups, type CaseRef, type SnoozeView } from './views.js';

/** Reads of follow-ups: one case's (case page) and the snoozed cases list. */

export async function getCaseFollowups(db: Db, actor: Actor, caseId: string): Promise<CaseFollowups> {
  const kase = await getCase(db, actor, caseId);
  const [snooze, plan, reminders, settings] = [
    await findSnooze(db, actor, kase.id),
    await findPlan(db, actor, kase.id),
    await listMyCaseReminders(db, actor, kase),
    await effectiveSettings(db, actor, kase.id),
  ];
  return {
    snooze: snooze ? snoozeView(snooze) : null,
    pending_reminder: pendingPlanView(plan),
    checkin: checkinPlanView(plan),
    reminders,
    settings: {
      sla_policy_id: settings.policyId,
      pending_reminder_after_days: settings.pending_reminder_after_days,
      pending_solve_after_days: settings.pending_solve_after_days,
      checkin_after_days: settings.checkin_after_days,
    },
  };
}

export async function listSnoozedCases(
  db: Db,
  actor: AgentActor,
  query: { scope: 'mine' | 'team'; limit: number; cursor?: string | undefined },
): Promise<{ data: { snooze: SnoozeView; case: CaseRef }[]; next_cursor: string | null }> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const after = keysetAfter(query.cursor);
  const rows = await listSnoozedRows(db, actor, {
    scope: query.scope,
    limit: query.limit,
    after: after ? { until: after.at, caseId: after.id } : undefined,
  });
  const page = rows.slice(0, query.limit);
  const cases = new Map(
    (
      await getCasesByIds(
        db,
        actor,
        page.map((r) => r.case_id),
      )
    ).map((c) => [c.id, caseRef(c)]),
  );
  const last = page.at(-1);
  return {
    data: page.filter((r) => cases.has(r.case_id)).map((r) => ({ snooze: snoozeView(r), case: cases.get(r.case_id)! })),
    next_cursor: rows.length > query.limit && last ? encodeCursor([last.until_at.toISOString(), last.case_id]) : null,
  };
}
