import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { t } from '../../platform/i18n/index.js';
import type { CaseView } from '../cases/service.js';
import { activeAgentRecipient, agentMailLocale, formatMailbox, queueOutboundMail, textToHtml } from '../email/outbound/index.js';

/**
 * Notification emails of follow-ups to one agent (a snooze ended on their case, their own
 * reminder is due), as the email module's notifications are written: the agent's language,
 * Auto-Submitted, never to a deactivated agent. The email module's preferences cover assignment
 * and customer replies only; these mails answer something the agent asked for, so they always go.
 */

export type AgentNotice = 'snooze_ended' | 'reminder';

/** Queues the mail; false when the agent is gone or deactivated. */
export async function notifyAgent(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  agentId: string,
  kase: CaseView,
  notice: AgentNotice,
  note: string,
): Promise<boolean> {
  const agent = await activeAgentRecipient(tx, actor, agentId);
  if (!agent) return false;
  const locale = agentMailLocale(agent);
  const params = { number: kase.number, subject: kase.subject };
  const subject = t(locale, notice === 'reminder' ? 'followups.notify.reminder_subject' : 'followups.notify.snooze_ended_subject', params);
  const lines = [t(locale, notice === 'reminder' ? 'followups.notify.reminder_body' : 'followups.notify.snooze_ended_body', params)];
  if (note.trim()) lines.push('', note.trim());
  lines.push('', t(locale, 'email.notify.open_case', { url: `${ctx.config.publicUrl}/app/cases/${kase.number}` }));
  const bodyText = lines.join('\n');
  await queueOutboundMail(tx, {
    workspaceId: actor.workspaceId,
    kind: 'notification',
    caseId: kase.id,
    recipientAgentId: agent.id,
    from: ctx.config.mail.notificationFrom,
    to: [formatMailbox(agent.name, agent.email)],
    subject,
    bodyText: `${bodyText}\n\n-- \n${t(locale, 'email.notify.footer')}\n`,
    bodyHtml: textToHtml(bodyText, { footer: t(locale, 'email.notify.footer') }),
    autoSubmitted: 'auto-generated',
  });
  return true;
}
