import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import { selectMessageById } from './message-store.js';
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

/** Case numbers by case id, one query; for lists in other modules that show `#1042` next to a case id. */
export async function getCaseNumbers(db: Db, actor: Actor, caseIds: string[]): Promise<Map<string, number>> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  return selectCaseNumbers(db, actor, caseIds);
}
