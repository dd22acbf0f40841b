import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { unprocessable } from '../../platform/errors.js';
import { getCase, getMessage, listPublicMessages, type MessageView } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { listMailboxes, type MailboxView } from '../email/mailboxes/service.js';
import { queueOutboundMail } from '../email/outbound/queue.js';
import { replyAddressFor } from '../email/reply-address.js';
import type { ConversationRow } from './conversation-store.js';
import type { ChatSiteRow } from './site-store.js';

/**
 * Chat by email: an agent's reply to a visitor who is gone, and the transcript a visitor asks for.
 * Both go through the email module's outbound queue (Message-IDs recorded for the case, a signed
 * Reply-To), so the customer's answer threads back into the same chat case.
 */

/** The mailbox chat mail goes out from: the site's, else an active one of the case's category, else any active one. */
async function mailboxFor(
  db: Db,
  workspaceId: string,
  site: Pick<ChatSiteRow, 'mailbox_id'>,
  category: string,
): Promise<MailboxView | undefined> {
  const mailboxes = (await listMailboxes(db, systemActor(workspaceId, 'chat mail'))).filter((m) => m.active);
  return mailboxes.find((m) => m.id === site.mailbox_id) ?? mailboxes.find((m) => m.category === category) ?? mailboxes[0];
}

const formatAddress = (name: string, address: string) => `"${name.replace(/["\\\r\n]/g, '')}" <${address}>`;

/** The visitor's address: the one they gave in the chat, else their customer's primary deliverable one. */
async function recipientOf(db: Db, workspaceId: string, conversation: ConversationRow, customerId: string): Promise<string | undefined> {
  if (conversation.followup_email) return conversation.followup_email;
  const customer = await getCustomer(db, systemActor(workspaceId, 'chat mail'), customerId);
  const deliverable = customer.emails.filter((e) => !e.undeliverable);
  return (deliverable.find((e) => e.is_primary) ?? deliverable[0])?.value;
}

function transcriptText(messages: MessageView[], customerName: string): string {
  return messages
    .map((m) => {
      const who = m.author_type === 'customer' ? customerName || 'You' : (m.author?.name ?? 'Support');
      return `[${m.created_at.slice(0, 16).replace('T', ' ')} UTC] ${who}:\n${m.body_text}`;
    })
    .join('\n\n');
}

/** Emails one agent reply of a chat case; null when there is no address or mailbox (the agent sees it in the app). */
export async function emailChatReply(
  ctx: AppContext,
  input: { workspaceId: string; conversation: ConversationRow; site: Pick<ChatSiteRow, 'mailbox_id'>; messageId: string },
): Promise<string | null> {
  const system = systemActor(input.workspaceId, 'chat mail');
  const { message } = await getMessage(ctx.db, system, input.messageId);
  if (message.visibility !== 'public' || message.author_type === 'customer') return null;
  const kase = await getCase(ctx.db, system, input.conversation.case_id);
  const to = await recipientOf(ctx.db, input.workspaceId, input.conversation, kase.customer.id);
  const mailbox = await mailboxFor(ctx.db, input.workspaceId, input.site, kase.category);
  if (!to || !mailbox) return null;
  return inTransaction(ctx.db, async (tx) => {
    const queued = await queueOutboundMail(tx, {
      workspaceId: input.workspaceId,
      kind: 'reply',
      caseId: kase.id,
      messageId: message.id,
      mailboxId: mailbox.id,
      from: formatAddress(mailbox.name, mailbox.address),
      to: [to],
      replyTo: formatAddress(mailbox.name, replyAddressFor(ctx.secret, kase.id, mailbox.address)),
      subject: `Re: ${kase.subject.replace(/^Chat:\s*/, '')} [#${kase.number}]`,
      bodyText: `${message.body_text}\n\n--\nYou chatted with us about this. Reply to this email to continue (case #${kase.number}).`,
      autoSubmitted: null,
    });
    return queued?.id ?? null;
  });
}

/** The conversation so far, mailed to the visitor who asked for it. */
export async function emailTranscript(
  ctx: AppContext,
  input: {
    workspaceId: string;
    conversation: ConversationRow;
    site: Pick<ChatSiteRow, 'mailbox_id'>;
    customerId: string;
    email?: string | undefined;
  },
): Promise<void> {
  const system = systemActor(input.workspaceId, 'chat transcript');
  const kase = await getCase(ctx.db, system, input.conversation.case_id);
  const to = input.email ?? (await recipientOf(ctx.db, input.workspaceId, input.conversation, input.customerId));
  if (!to) throw unprocessable('chat.no_email', 'Tell us your email address first', { field: 'email' });
  const mailbox = await mailboxFor(ctx.db, input.workspaceId, input.site, kase.category);
  if (!mailbox) throw unprocessable('chat.no_mailbox', 'Transcripts cannot be sent: the support team has no mailbox');
  const messages = await listPublicMessages(ctx.db, system, kase.id);
  const customer = await getCustomer(ctx.db, system, input.customerId);
  await inTransaction(ctx.db, async (tx) => {
    await queueOutboundMail(tx, {
      workspaceId: input.workspaceId,
      kind: 'transcript',
      caseId: kase.id,
      mailboxId: mailbox.id,
      from: formatAddress(mailbox.name, mailbox.address),
      to: [to],
      replyTo: formatAddress(mailbox.name, replyAddressFor(ctx.secret, kase.id, mailbox.address)),
      subject: `Transcript of your chat [#${kase.number}]`,
      bodyText: `${transcriptText(messages, customer.name)}\n\n--\nReply to this email to continue (case #${kase.number}).`,
      autoSubmitted: 'auto-generated',
    });
  });
}
