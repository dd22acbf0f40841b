import type { Db } from '../../db/database.js';
import type { Actor, CustomerActor } from '../../platform/actor.js';
import { authorize, can, workspaceScope } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import { selectMessageById, selectMessageWithCaseCustomer } from './message-store.js';
import { agentNamesOf, attachmentsOf, type AttachmentView } from './people.js';
import { isUuid, loadCase, readPermission, selectCaseNumbers } from './store.js';
import { toMessageViews, type MessageView } from './views.js';

/**
 * One message, for an actor who may read its case (channels show per-message details, e.g. the
 * email view). A status-link holder sees only public messages of their own case; anything not
 * visible is `message.not_found`.
 */
export async function getMessage(db: Db, actor: Actor, messageId: string): Promise<{ caseId: string; message: MessageView }> {
  const permission = readPermission(actor);
  const row = isUuid(messageId) ? await selectMessageById(db, actor, messageId) : undefined;
  if (!row || (actor.kind === 'customer' && row.visibility !== 'public')) {
    authorize(actor, permission, { workspaceId: workspaceScope(actor), type: 'message' });
    throw notFound('message');
  }
  try {
    await loadCase(db, actor, row.case_id, permission);
  } catch (error) {
    if ((error as { code?: string }).code === 'case.not_found') throw notFound('message');
    throw error;
  }
  const [view] = await toMessageViews(db, actor, [row]);
  return { caseId: row.case_id, message: view! };
}

/** A message as a live-chat visitor sees it: no metadata, and the author's name for agents only. */
export interface CustomerLineView {
  id: string;
  author_type: MessageView['author_type'];
  /** The agent's name on an agent's message; null otherwise. */
  agent_name: string | null;
  body_text: string;
  attachments: AttachmentView[];
  created_at: string;
}

/**
 * A public message of the customer's own case, as the chat widget shows it. The widget hears of
 * every line of its conversation and reads it to show it: getMessage takes four statements for
 * that (message, case, authors' names, files), this one for a customer's line without files, and
 * one more for an agent's name or for files. `hasFiles` comes from the message's event; unknown
 * (an older event) reads the files.
 */
export async function getCustomerLine(
  db: Db,
  actor: CustomerActor,
  messageId: string,
  options: { hasFiles?: boolean | undefined } = {},
): Promise<CustomerLineView> {
  const row = isUuid(messageId) ? await selectMessageWithCaseCustomer(db, actor, messageId) : undefined;
  const readable =
    row !== undefined &&
    row.visibility === 'public' &&
    can(actor, 'status_link.read', {
      workspaceId: workspaceScope(actor),
      type: 'message',
      caseId: row.case_id,
      customerId: row.case_customer_id,
    });
  if (!row || !readable) throw notFound('message');
  const [agents, files] = await Promise.all([
    row.author_type === 'agent' && row.author_agent_id ? agentNamesOf(db, actor, [row.author_agent_id]) : undefined,
    options.hasFiles === false ? undefined : attachmentsOf(db, actor, [row.id]),
  ]);
  return {
    id: row.id,
    author_type: row.author_type,
    agent_name: row.author_agent_id ? (agents?.get(row.author_agent_id)?.name ?? '') : null,
    body_text: row.body_text,
    attachments: files?.get(row.id) ?? [],
    created_at: row.created_at.toISOString(),
  };
}

/** Case numbers by case id, one query; for lists in other modules that show `#1042` next to a case id. */
export async function getCaseNumbers(db: Db, actor: Actor, caseIds: string[]): Promise<Map<string, number>> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  return selectCaseNumbers(db, actor, caseIds);
}
