import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { t } from '../../platform/i18n/index.js';
// listAgents (role members) is exported by the agents module but not re-exported by its service.ts yet.
import { listAgents } from '../agents/agents.js';
import { getAgentsByIds } from '../agents/service.js';
import { followCase, getCase, updateCaseLocked, type CaseFieldChanges, type CaseView } from '../cases/service.js';
import type { CasePriority } from '../cases/schema.js';
import { formatMailbox, queueOutboundMail } from '../email/outbound/index.js';
import type { EscalationAction, SlaMetric } from './schema.js';

/**
 * Escalation actions at a warning or a breach, carried out through the cases and email modules'
 * functions inside the timer job's transaction. Each action runs under a savepoint: one that
 * cannot be done (a deactivated agent, a deleted team) is reported and the others still run.
 */

export interface EscalationDeps {
  notificationFrom: string;
  publicUrl: string;
}

export interface EscalationContext {
  kind: 'warning' | 'breach';
  metric: SlaMetric;
  dueAt: Date;
}

export interface ActionResult {
  type: EscalationAction['type'];
  ok: boolean;
  detail?: Record<string, unknown>;
  error?: string;
}

const PRIORITY_ORDER: CasePriority[] = ['low', 'normal', 'high', 'urgent'];
const METRIC_LABEL: Record<SlaMetric, string> = { first_reply: 'first reply', next_reply: 'next reply', resolution: 'resolution' };

/** Active agents holding any of `roles` (paged through the agents directory). */
async function agentsWithRoles(tx: Db, actor: Actor, roles: string[]): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAgents(tx, actor, { status: 'active', limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.data.filter((a) => roles.includes(a.role)).map((a) => a.id));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return ids;
}

function notificationText(kase: CaseView, context: EscalationContext, url: string): { subject: string; body: string } {
  const metric = METRIC_LABEL[context.metric];
  const due = `${context.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const subject =
    context.kind === 'breach'
      ? `SLA breached: ${metric} on #${kase.number} ${kase.subject}`
      : `SLA warning: ${metric} on #${kase.number} ${kase.subject} is due soon`;
  const line =
    context.kind === 'breach'
      ? `The ${metric} target of case #${kase.number} “${kase.subject}” was breached at ${due}.`
      : `The ${metric} target of case #${kase.number} “${kase.subject}” is due at ${due}.`;
  return { subject, body: [line, '', t('en', 'email.notify.open_case', { url })].join('\n') };
}

async function notify(
  tx: Db,
  actor: Actor,
  kase: CaseView,
  action: Extract<EscalationAction, { type: 'notify' }>,
  context: EscalationContext,
  deps: EscalationDeps,
) {
  const ids = new Set(action.agent_ids ?? []);
  if (action.assignee && kase.assignee) ids.add(kase.assignee.id);
  if (action.roles?.length) for (const id of await agentsWithRoles(tx, actor, action.roles)) ids.add(id);
  const agents = await getAgentsByIds(tx, actor, [...ids]);
  const { subject, body } = notificationText(kase, context, `${deps.publicUrl}/app/cases/${kase.number}`);
  const notified: string[] = [];
  for (const agent of agents.values()) {
    await queueOutboundMail(tx, {
      workspaceId: actor.workspaceId,
      kind: 'notification',
      caseId: kase.id,
      recipientAgentId: agent.id,
      from: deps.notificationFrom,
      to: [formatMailbox(agent.name, agent.email)],
      subject,
      bodyText: body,
      autoSubmitted: 'auto-generated',
    });
    notified.push(agent.id);
  }
  return { agent_ids: notified };
}

function raisedPriority(current: CasePriority, to: 'high' | 'urgent' | undefined): CasePriority {
  const rank = PRIORITY_ORDER.indexOf(current);
  const wanted = to ? PRIORITY_ORDER.indexOf(to) : Math.min(rank + 1, PRIORITY_ORDER.length - 1);
  return PRIORITY_ORDER[Math.max(rank, wanted)]!;
}

async function carryOutOne(
  tx: Db,
  actor: Actor,
  caseId: string,
  action: EscalationAction,
  context: EscalationContext,
  deps: EscalationDeps,
): Promise<Record<string, unknown>> {
  const kase = await getCase(tx, actor, caseId);
  switch (action.type) {
    case 'notify':
      return notify(tx, actor, kase, action, context, deps);
    case 'raise_priority': {
      const priority = raisedPriority(kase.priority, action.to);
      if (priority !== kase.priority) await updateCaseLocked(tx, actor, caseId, { priority });
      return { from: kase.priority, to: priority };
    }
    case 'reassign': {
      const changes: CaseFieldChanges = {};
      if (action.team_id) Object.assign(changes, { teamId: action.team_id, queueId: action.queue_id ?? null, assigneeId: null });
      if (action.agent_id) changes.assigneeId = action.agent_id;
      await updateCaseLocked(tx, actor, caseId, changes);
      return { team_id: action.team_id ?? null, queue_id: action.queue_id ?? null, agent_id: action.agent_id ?? null };
    }
    case 'add_follower':
      await followCase(tx, actor, caseId, action.agent_id);
      return { agent_id: action.agent_id };
  }
}

export async function carryOutEscalations(
  tx: Db,
  actor: Actor,
  caseId: string,
  actions: EscalationAction[],
  context: EscalationContext,
  deps: EscalationDeps,
): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const action of actions) {
    await sql`savepoint sla_escalation`.execute(tx);
    try {
      const detail = await carryOutOne(tx, actor, caseId, action, context, deps);
      await sql`release savepoint sla_escalation`.execute(tx);
      results.push({ type: action.type, ok: true, detail });
    } catch (error) {
      await sql`rollback to savepoint sla_escalation`.execute(tx);
      if (!(error instanceof AppError)) throw error;
      results.push({ type: action.type, ok: false, error: error.code });
    }
  }
  return results;
}
