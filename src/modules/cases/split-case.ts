import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { unprocessable, validationError } from '../../platform/errors.js';
import { recordCaseChange } from './case-events.js';
import { nextCaseNumber } from './case-numbers.js';
import { countMessages, messageIdsOfCase, moveMessages } from './message-store.js';
import { assertNotClosed } from './post-message.js';
import { insertCase, isUuid, loadCase, refreshMessageTimes, updateCaseRow } from './store.js';
import { cleanSubject } from './text.js';
import { toCaseView, type CaseView } from './views.js';

export const MAX_SPLIT_MESSAGES = 100;

/**
 * Moves some messages of a case into a new case of the same customer (a second question asked in
 * the same thread). The new case inherits routing, assignee, priority, category and tags; both
 * cases keep at least one message and record `split_to` / `split_from`.
 */
export async function splitCase(db: Db, actor: Actor, caseId: string, input: { messageIds: string[]; subject: string }): Promise<CaseView> {
  const subject = cleanSubject(input.subject);
  const messageIds = [...new Set(input.messageIds)];
  if (messageIds.length === 0 || messageIds.length > MAX_SPLIT_MESSAGES) {
    throw validationError('case.split_messages', `Choose 1 to ${MAX_SPLIT_MESSAGES} messages to split off`, { field: 'message_ids' });
  }
  return inTransaction(db, async (tx) => {
    const source = await loadCase(tx, actor, caseId, 'case.write', { forUpdate: true });
    assertNotClosed(source);
    const found = await messageIdsOfCase(tx, actor, source.id, messageIds.filter(isUuid));
    if (found.length !== messageIds.length) {
      const missing = messageIds.filter((id) => !found.includes(id));
      throw unprocessable('case.split_unknown_messages', 'Some messages do not belong to this case', { message_ids: missing });
    }
    if (found.length === (await countMessages(tx, actor, source.id))) {
      throw unprocessable('case.split_all_messages', 'Leave at least one message on the original case');
    }

    const number = await nextCaseNumber(tx, source.workspace_id);
    const created = await insertCase(tx, {
      workspace_id: source.workspace_id,
      number,
      subject,
      status: source.status === 'new' ? 'new' : 'open',
      priority: source.priority,
      category: source.category,
      channel: source.channel,
      customer_id: source.customer_id,
      team_id: source.team_id,
      queue_id: source.queue_id,
      assignee_id: source.assignee_id,
      tags: [...source.tags],
    });
    await moveMessages(tx, actor, source.id, created.id, found);
    await refreshMessageTimes(tx, actor, created.id, { firstAgentReply: true });
    await refreshMessageTimes(tx, actor, source.id, { firstAgentReply: false });
    // The source's conversation changed under anyone holding it open: a new version.
    await updateCaseRow(tx, actor, source.id, {});

    await recordCaseChange(tx, actor, {
      caseId: created.id,
      type: 'created',
      data: {
        number,
        subject,
        status: created.status,
        priority: created.priority,
        category: created.category,
        channel: created.channel,
        customer_id: created.customer_id,
        team_id: created.team_id,
        queue_id: created.queue_id,
        tags: created.tags,
        split_from: source.id,
      },
    });
    await recordCaseChange(tx, actor, {
      caseId: created.id,
      type: 'split_from',
      data: { case_id: source.id, number: source.number, message_ids: found },
    });
    await recordCaseChange(tx, actor, { caseId: source.id, type: 'split_to', data: { case_id: created.id, number, message_ids: found } });
    return toCaseView(tx, actor, await loadCase(tx, actor, created.id, 'case.read'));
  });
}
