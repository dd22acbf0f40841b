import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { forbidden, validationError } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import { appendMessage, type MessageAuthor } from './post-message.js';
import type { CaseStatus, MessageChannel, Visibility } from './schema.js';
import { loadCase } from './store.js';
import { cleanBody } from './text.js';
import { toMessageViews, type MessageView } from './views.js';

export interface AddMessageInput {
  bodyText: string;
  visibility: Visibility;
  /** Default: the case's channel for public messages, `internal` for notes. */
  channel?: MessageChannel | undefined;
  metadata?: JsonObject | undefined;
  attachmentIds?: string[] | undefined;
  /** The status the case takes with this message ("reply and set pending"); agents only. */
  statusAfter?: CaseStatus | undefined;
  /**
   * For Baton itself (system actor), e.g. a channel relaying what the customer wrote: 'customer'
   * writes as the case's customer. Agents and customers always write as themselves.
   */
  authorType?: 'customer' | 'system' | undefined;
}

function authorOf(actor: Actor, customerId: string, input: AddMessageInput): MessageAuthor {
  switch (actor.kind) {
    case 'agent':
      return { type: 'agent', agentId: actor.agentId, customerId: null };
    case 'customer':
      return { type: 'customer', agentId: null, customerId: actor.customerId };
    case 'system':
      return input.authorType === 'customer'
        ? { type: 'customer', agentId: null, customerId }
        : { type: 'system', agentId: null, customerId: null };
  }
}

/**
 * A public reply or internal note by an agent, or a public message by the customer holding a
 * status link for this case. Moves the case's status (first reply opens it, a customer's message
 * reopens a pending or solved case, a chosen status_after) and its clocks.
 */
export async function addMessage(db: Db, actor: Actor, caseId: string, input: AddMessageInput): Promise<MessageView> {
  const bodyText = cleanBody(input.bodyText);
  if (actor.kind === 'customer') {
    if (input.visibility !== 'public') throw forbidden('case.internal_not_allowed', 'Customers write public messages only');
    if (input.statusAfter !== undefined)
      throw validationError('case.status_after_not_allowed', 'A customer message cannot choose the case status', { field: 'status_after' });
  }
  return inTransaction(db, async (tx) => {
    const permission = actor.kind === 'customer' ? 'status_link.reply' : 'case.reply';
    const row = await loadCase(tx, actor, caseId, permission, { forUpdate: true });
    const { message } = await appendMessage(tx, actor, row, {
      author: authorOf(actor, row.customer_id, input),
      visibility: input.visibility,
      channel: input.channel ?? (input.visibility === 'internal' ? 'internal' : row.channel),
      bodyText,
      metadata: input.metadata,
      attachmentIds: input.attachmentIds,
      statusAfter: input.statusAfter,
    });
    const [view] = await toMessageViews(tx, actor, [message]);
    return view!;
  });
}
