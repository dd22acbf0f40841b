import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import type { JobHandler } from '../../platform/jobs.js';
import { recordCaseChange } from '../cases/service.js';
import { appendSlaEvent, lockClock, lockTarget, updateTarget } from './clock-store.js';
import { carryOutEscalations, type EscalationDeps } from './escalations.js';
import { SLA_TIMER_QUEUE, timerStillDue, type TimerPayload } from './timer-schedule.js';

/**
 * The warning and breach timers. A job locks the case's clock and the target, checks that the
 * target still plans this instant in this cycle and has not warned or breached yet, then marks
 * it, appends the SLA event, records it in the case history and carries out the policy's
 * escalations, all in one transaction. So a timer fires once: after a restart (a job due while
 * no worker ran is claimed when one starts), with duplicate jobs, or with two workers racing.
 */

export type TimerOutcome = 'fired' | 'stale';

export async function fireTimer(db: Db, payload: TimerPayload, deps: EscalationDeps): Promise<TimerOutcome> {
  return inTransaction(db, async (tx) => {
    const clock = await lockClock(tx, payload.workspace_id, payload.case_id);
    if (!clock) return 'stale';
    const target = await lockTarget(tx, payload.workspace_id, payload.target_id);
    if (!target || target.case_id !== clock.case_id || !timerStillDue(target, payload)) return 'stale';
    const at = new Date(payload.at);
    const breach = payload.kind === 'breach';
    await updateTarget(tx, target.id, breach ? { breached_at: at, warn_at: null } : { warned_at: at });
    const actor = systemActor(payload.workspace_id, breach ? 'sla breach' : 'sla warning');
    const actions = clock.policy?.escalations[breach ? 'breach' : 'warning'] ?? [];
    const results = await carryOutEscalations(
      tx,
      actor,
      clock.case_id,
      actions,
      { kind: payload.kind, metric: target.metric, dueAt: target.due_at ?? at },
      deps,
    );
    const data = {
      metric: target.metric,
      cycle: target.cycle,
      target_minutes: target.target_minutes,
      due_at: target.due_at?.toISOString() ?? null,
      policy_id: clock.policy_id,
      policy_name: clock.policy?.name ?? null,
      actions: results.map((r) => ({ ...r })),
    };
    await appendSlaEvent(tx, {
      workspaceId: payload.workspace_id,
      caseId: clock.case_id,
      policyId: clock.policy_id,
      type: breach ? 'breached' : 'warning',
      metric: target.metric,
      cycle: target.cycle,
      occurredAt: at,
      data: { ...data, escalated: results.length > 0 },
    });
    await recordCaseChange(tx, actor, { caseId: clock.case_id, type: breach ? 'sla_breached' : 'sla_warning', data });
    return 'fired';
  });
}

export function slaTimerJob(ctx: AppContext): JobHandler {
  const deps: EscalationDeps = { notificationFrom: ctx.config.mail.notificationFrom, publicUrl: ctx.config.publicUrl };
  return {
    queue: SLA_TIMER_QUEUE,
    async run(payload, db) {
      await fireTimer(db, payload as TimerPayload, deps);
    },
  };
}
