import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { recordCaseChange } from './case-events.js';
import { insertMessage, moveMessages } from './message-store.js';
import { copyFollowers, isUuid, loadCase, lockCases, refreshMessageTimes, updateCaseRow, type CaseRow } from './store.js';
import { toCaseView, type CaseView } from './views.js';

function assertMergeable(row: CaseRow): void {
  if (row.status === 'closed') {
    throw unprocessable('case.merge_closed', `Case #${row.number} is closed and cannot be merged`, { case_id: row.id, number: row.number });
  }
}

/**
 * Merges a duplicate case into another: the source's messages move to the target (which gets an
 * internal note "Merged from #N"), its followers follow the target, and the source is closed with
 * `merged_into_id` set. Cases of different customers of the workspace may be merged.
 *
 * The target (the case the agent is on) that is not visible is 404; a source that is not is 422,
 * as for any other unknown reference in a request body.
 */
export async function mergeCases(db: Db, actor: Actor, input: { sourceCaseId: string; targetCaseId: string }): Promise<CaseView> {
  const resource = { workspaceId: workspaceScope(actor), type: 'case' };
  authorize(actor, 'case.merge', resource);
  return inTransaction(db, async (tx) => {
    const rows = await lockCases(tx, actor, [input.sourceCaseId, input.targetCaseId]);
    const target = rows.find((r) => r.id === input.targetCaseId);
    if (!target) throw notFound('case');
    authorize(actor, 'case.merge', { ...resource, caseId: target.id, customerId: target.customer_id });
    if (input.sourceCaseId === input.targetCaseId) throw unprocessable('case.merge_same', 'A case cannot be merged into itself');
    const source = isUuid(input.sourceCaseId) ? rows.find((r) => r.id === input.sourceCaseId) : undefined;
    if (!source)
      throw unprocessable('case.merge_source_not_found', 'The case to merge does not exist in this workspace', {
        source_case_id: input.sourceCaseId,
      });
    authorize(actor, 'case.merge', { ...resource, caseId: source.id, customerId: source.customer_id });
    assertMergeable(source);
    assertMergeable(target);

    const moved = await moveMessages(tx, actor, source.id, target.id);
    const note = await insertMessage(tx, actor, {
      caseId: target.id,
      visibility: 'internal',
      authorType: 'system',
      authorAgentId: null,
      authorCustomerId: null,
      channel: 'internal',
      bodyText: `Merged from #${source.number}: ${source.subject}`,
      metadata: { merged_from_case_id: source.id, merged_from_number: source.number },
    });
    await copyFollowers(tx, actor, source.id, target.id);
    await refreshMessageTimes(tx, actor, target.id, { firstAgentReply: false });
    await updateCaseRow(tx, actor, target.id, {});
    await updateCaseRow(tx, actor, source.id, { merged_into_id: target.id, status: 'closed', closed_at: 'now' });

    await recordCaseChange(tx, actor, {
      caseId: source.id,
      type: 'merged_into',
      data: { case_id: target.id, number: target.number, message_count: moved },
    });
    await recordCaseChange(tx, actor, {
      caseId: source.id,
      type: 'status_changed',
      data: { from: source.status, to: 'closed', reason: 'merged' },
    });
    await recordCaseChange(tx, actor, {
      caseId: target.id,
      type: 'merged_from',
      data: { case_id: source.id, number: source.number, message_count: moved, note_message_id: note.id },
    });
    await recordCaseChange(tx, actor, {
      caseId: target.id,
      type: 'message_added',
      data: { message_id: note.id, visibility: 'internal', author_type: 'system', channel: 'internal' },
    });
    return toCaseView(tx, actor, await loadCase(tx, actor, target.id, 'case.read'));
  });
}
