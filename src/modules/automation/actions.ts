import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import { systemActor, type Actor, type SystemActor } from '../../platform/actor.js';
import { AppError, unprocessable } from '../../platform/errors.js';
import { t } from '../../platform/i18n/index.js';
// listAgents (role members) is exported by the agents module but not re-exported by its service.ts yet.
import { listAgents } from '../agents/agents.js';
import { getAgentsByIds } from '../agents/service.js';
import { addMessage, getCase, updateCaseLocked, type CaseView } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { formatMailbox, queueOutboundMail } from '../email/outbound/index.js';
import { automaticMailAllowed } from '../email/processing/automatic-mail.js';
import { renderCaseTemplate } from '../macros/placeholders.js';
import type { RuleAction } from './rule-schema.js';
import type { RuleKind } from './schema.js';
import { enqueueWebhookDelivery } from './webhook-job.js';

/**
 * Carries out a rule's actions on one case inside the caller's transaction, as Baton (a system
 * actor carrying the rule as `origin`, so every change it records names the rule: loop rules,
 * history). Each action runs under a savepoint: one that cannot be done (a deactivated agent, a
 * closed case) is reported and the others still run.
 */

export interface RuleOrigin {
  kind: RuleKind;
  ruleId: string;
  ruleName: string;
  /** 0 for a rule fired by a person's or Baton's own change; +1 per rule-caused event in a chain. */
  depth: number;
  /** The event a chain of rule-caused events started from (triggers run once per root). */
  rootKey?: string;
  /** The event that fired a trigger (sent with webhooks). */
  event?: { id: number | null; type: string };
}

export interface ActionResult {
  type: RuleAction['type'];
  ok: boolean;
  detail?: Record<string, unknown>;
  /** An error code (`case.closed`, `automation.mail_not_allowed`) when the action could not be done. */
  error?: string;
}

/** Case channels whose customer a public message reaches by email (the email reply listener sends it). */
const EMAIL_CASE_CHANNELS = new Set(['email', 'web', 'api']);

/** The actor a rule acts as: Baton itself, carrying the rule as the origin of its changes. */
export function ruleActor(workspaceId: string, origin: RuleOrigin): SystemActor {
  return {
    ...systemActor(workspaceId, `${origin.kind} ${origin.ruleName}`),
    origin: {
      kind: origin.kind,
      rule_id: origin.ruleId,
      rule_name: origin.ruleName,
      depth: origin.depth,
      ...(origin.rootKey ? { root_key: origin.rootKey } : {}),
    },
  };
}

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

async function notify(ctx: AppContext, tx: Db, actor: Actor, kase: CaseView, action: Extract<RuleAction, { type: 'notify' }>) {
  const ids = new Set(action.agent_ids ?? []);
  if (action.assignee && kase.assignee) ids.add(kase.assignee.id);
  if (action.roles?.length) for (const id of await agentsWithRoles(tx, actor, action.roles)) ids.add(id);
  const agents = await getAgentsByIds(tx, actor, [...ids]);
  const subject = (await renderCaseTemplate(tx, actor, kase.id, action.subject)).replace(/[\r\n]+/g, ' ').slice(0, 300);
  const body = await renderCaseTemplate(tx, actor, kase.id, action.body);
  const url = `${ctx.config.publicUrl}/app/cases/${kase.number}`;
  const notified: string[] = [];
  for (const agent of agents.values()) {
    await queueOutboundMail(tx, {
      workspaceId: actor.workspaceId,
      kind: 'notification',
      caseId: kase.id,
      recipientAgentId: agent.id,
      from: ctx.config.mail.notificationFrom,
      to: [formatMailbox(agent.name, agent.email)],
      subject,
      bodyText: [body, '', t('en', 'email.notify.open_case', { url })].join('\n'),
      autoSubmitted: 'auto-generated',
    });
    notified.push(agent.id);
  }
  return { agent_ids: notified };
}

/**
 * A public message is mailed to an email customer by the email module's reply listener (it sends
 * every public agent or system message of an email case); Baton's automatic-mail rules (bounced
 * address, flooded case) are checked first, so a rule never feeds a mail loop.
 */
async function sendMessage(tx: Db, actor: Actor, kase: CaseView, action: Extract<RuleAction, { type: 'send_message' }>) {
  const body = await renderCaseTemplate(tx, actor, kase.id, action.body);
  if (action.visibility === 'public' && EMAIL_CASE_CHANNELS.has(kase.channel)) {
    const customer = await getCustomer(tx, actor, kase.customer.id);
    const address = (customer.emails.find((e) => e.is_primary && !e.undeliverable) ?? customer.emails.find((e) => !e.undeliverable))?.value;
    if (!address || !(await automaticMailAllowed(tx, { workspaceId: actor.workspaceId, caseId: kase.id, address }))) {
      throw unprocessable(
        'automation.mail_not_allowed',
        'The customer cannot be mailed automatically now (no deliverable address or too much mail)',
      );
    }
  }
  const message = await addMessage(tx, actor, kase.id, { bodyText: body, visibility: action.visibility, authorType: 'system' });
  return { message_id: message.id, visibility: action.visibility };
}

async function carryOutOne(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  caseId: string,
  action: RuleAction,
  origin: RuleOrigin,
): Promise<Record<string, unknown>> {
  const kase = await getCase(tx, actor, caseId);
  switch (action.type) {
    case 'set_status':
      await updateCaseLocked(tx, actor, caseId, { status: action.status });
      return { from: kase.status, to: action.status };
    case 'set_priority':
      await updateCaseLocked(tx, actor, caseId, { priority: action.priority });
      return { from: kase.priority, to: action.priority };
    case 'set_category':
      await updateCaseLocked(tx, actor, caseId, { category: action.category });
      return { from: kase.category, to: action.category };
    case 'assign_team':
      await updateCaseLocked(tx, actor, caseId, { teamId: action.team_id, queueId: action.queue_id ?? undefined });
      return { team_id: action.team_id, queue_id: action.queue_id ?? null };
    case 'assign_agent':
      await updateCaseLocked(tx, actor, caseId, { assigneeId: action.agent_id });
      return { from: kase.assignee?.id ?? null, to: action.agent_id };
    case 'add_tags': {
      const added = action.tags.filter((tag) => !kase.tags.includes(tag));
      if (added.length > 0) await updateCaseLocked(tx, actor, caseId, { tags: [...kase.tags, ...added] });
      return { added };
    }
    case 'remove_tags': {
      const removed = kase.tags.filter((tag) => action.tags.includes(tag));
      if (removed.length > 0) await updateCaseLocked(tx, actor, caseId, { tags: kase.tags.filter((tag) => !removed.includes(tag)) });
      return { removed };
    }
    case 'send_message':
      return sendMessage(tx, actor, kase, action);
    case 'notify':
      return notify(ctx, tx, actor, kase, action);
    case 'webhook':
      return enqueueWebhookDelivery(tx, actor, { url: action.url, kase, origin });
  }
}

export async function runRuleActions(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  caseId: string,
  actions: RuleAction[],
  origin: RuleOrigin,
): Promise<ActionResult[]> {
  const acting = ruleActor(actor.workspaceId, origin);
  const results: ActionResult[] = [];
  for (const action of actions) {
    await sql`savepoint automation_action`.execute(tx);
    try {
      const detail = await carryOutOne(ctx, tx, acting, caseId, action, origin);
      await sql`release savepoint automation_action`.execute(tx);
      results.push({ type: action.type, ok: true, detail });
    } catch (error) {
      await sql`rollback to savepoint automation_action`.execute(tx);
      if (!(error instanceof AppError)) throw error;
      results.push({ type: action.type, ok: false, error: error.code });
    }
  }
  return results;
}
