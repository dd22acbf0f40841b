import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import { t } from '../../../platform/i18n/index.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import type { AgentView } from '../../agents/views.js';
import { getCase, type CaseView } from '../../cases/service.js';
import { formatMailbox } from './addresses.js';
import { activeAgentRecipient, agentMailLocale } from './agent-recipient.js';
import { findCaseMessage } from './case-reads.js';
import { textToHtml } from './html.js';
import { readEmailPreferences } from './preferences.js';
import { queueOutboundMail } from './queue.js';

/**
 * Notification emails to agents: a case assigned to them (by someone else), a customer's new
 * message on a case they own. Each honours the agent's preferences and never goes to a
 * deactivated agent. Automatic mail: Auto-Submitted: auto-generated.
 */

const EXCERPT_CHARS = 2000;

function caseLink(ctx: AppContext, kase: CaseView): string {
  return `${ctx.config.publicUrl}/app/cases/${kase.number}`;
}

async function queueNotification(
  ctx: AppContext,
  tx: Db,
  event: DomainEvent,
  agent: AgentView,
  kase: CaseView,
  content: { subject: string; lines: string[] },
): Promise<void> {
  const locale = agentMailLocale(agent);
  const bodyText = [...content.lines, '', t(locale, 'email.notify.open_case', { url: caseLink(ctx, kase) })].join('\n');
  await queueOutboundMail(tx, {
    workspaceId: event.workspaceId,
    kind: 'notification',
    caseId: kase.id,
    recipientAgentId: agent.id,
    from: ctx.config.mail.notificationFrom,
    to: [formatMailbox(agent.name, agent.email)],
    subject: content.subject,
    bodyText: `${bodyText}\n\n-- \n${t(locale, 'email.notify.footer')}\n`,
    bodyHtml: textToHtml(bodyText, { footer: t(locale, 'email.notify.footer') }),
    autoSubmitted: 'auto-generated',
  });
}

async function onAssigned(ctx: AppContext, event: DomainEvent, tx: Db): Promise<void> {
  const to = event.payload.to;
  if (typeof to !== 'string') return;
  // Taking a case yourself needs no email about it.
  if (event.actorType === 'agent' && event.actorId === to) return;
  const actor = systemActor(event.workspaceId, 'email notification');
  const agent = await activeAgentRecipient(tx, actor, to);
  if (!agent) return;
  if (!(await readEmailPreferences(tx, event.workspaceId, agent.id)).on_assignment) return;
  const kase = await getCase(tx, actor, event.aggregateId);
  // Reassigned again before this event was relayed: only the current assignee hears about it.
  if (kase.assignee?.id !== agent.id) return;
  const locale = agentMailLocale(agent);
  const params = { number: kase.number, subject: kase.subject, customer: kase.customer.name || kase.customer.primary_email || '' };
  await queueNotification(ctx, tx, event, agent, kase, {
    subject: t(locale, 'email.notify.assigned_subject', params),
    lines: [t(locale, 'email.notify.assigned_body', params)],
  });
}

async function onCustomerMessage(ctx: AppContext, event: DomainEvent, tx: Db): Promise<void> {
  if (event.payload.author_type !== 'customer' || typeof event.payload.message_id !== 'string') return;
  // A live chat's lines reach the assignee in the app as they are written (a chat is assigned
  // only to an online agent); one email per line would bury the agent's inbox.
  if (event.payload.channel === 'chat') return;
  // The first message of a new case: its assignee hears about the case from the assignment mail.
  if (event.payload.opened_case === true) return;
  const actor = systemActor(event.workspaceId, 'email notification');
  const kase = await getCase(tx, actor, event.aggregateId);
  if (!kase.assignee) return;
  const message = await findCaseMessage(tx, actor, event.payload.message_id);
  if (!message) return;
  // Events recorded before `opened_case` existed.
  if (message.created_at.getTime() === new Date(kase.created_at).getTime()) return;
  const agent = await activeAgentRecipient(tx, actor, kase.assignee.id);
  if (!agent) return;
  if (!(await readEmailPreferences(tx, event.workspaceId, agent.id)).on_customer_reply) return;
  const locale = agentMailLocale(agent);
  const params = { number: kase.number, subject: kase.subject, customer: kase.customer.name || kase.customer.primary_email || '' };
  const excerpt = message.body_text.length > EXCERPT_CHARS ? `${message.body_text.slice(0, EXCERPT_CHARS).trimEnd()} …` : message.body_text;
  await queueNotification(ctx, tx, event, agent, kase, {
    subject: t(locale, 'email.notify.reply_subject', params),
    lines: [t(locale, 'email.notify.reply_body', params), '', excerpt],
  });
}

export function notificationListener(ctx: AppContext): DomainEventListener {
  return {
    name: 'email.agent_notifications',
    handles: ['case.assigned', 'case.message_added'],
    handle: (event, tx) => (event.type === 'case.assigned' ? onAssigned(ctx, event, tx) : onCustomerMessage(ctx, event, tx)),
  };
}
