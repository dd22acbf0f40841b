import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { unprocessable, validationError } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import { recordCaseChanges, type CaseChange } from './case-events.js';
import { insertMessage, type MessageRow } from './message-store.js';
import { attachToMessage } from './people.js';
import type { AuthorType, CaseStatus, MessageChannel, Visibility } from './schema.js';
import { assertTransition, lifecycleTimestamps, statusAfterAgentMessage, statusAfterCustomerMessage } from './status-machine.js';
import { updateCaseRow, type CaseChanges, type CaseRow } from './store.js';

/** Adding a message to a locked case: the message, its files, the case's clocks and status, and the history. */

export interface MessageAuthor {
  type: AuthorType;
  agentId: string | null;
  customerId: string | null;
}

export interface NewMessageOnCase {
  author: MessageAuthor;
  visibility: Visibility;
  channel: MessageChannel;
  /** Already cleaned (text.ts cleanBody). */
  bodyText: string;
  metadata?: JsonObject | undefined;
  attachmentIds?: string[] | undefined;
  statusAfter?: CaseStatus | undefined;
}

export function assertNotClosed(row: CaseRow): void {
  if (row.status === 'closed') {
    throw unprocessable('case.closed', `Case #${row.number} is closed; a new contact opens a follow-up case`, {
      case_id: row.id,
      number: row.number,
    });
  }
}

function nextStatus(row: CaseRow, message: NewMessageOnCase): CaseStatus {
  switch (message.author.type) {
    case 'customer':
      if (message.statusAfter !== undefined)
        throw validationError('case.status_after_not_allowed', 'A customer message cannot choose the case status', {
          field: 'status_after',
        });
      return statusAfterCustomerMessage(row.status);
    case 'agent':
      return statusAfterAgentMessage(row.status, message.visibility, message.statusAfter);
    case 'system':
      if (message.statusAfter === undefined) return row.status;
      assertTransition(row.status, message.statusAfter);
      return message.statusAfter;
  }
}

/** The caller holds the case row locked (FOR UPDATE) and runs this inside its transaction. */
export async function appendMessage(
  tx: Db,
  actor: Actor,
  row: CaseRow,
  message: NewMessageOnCase,
  /** Further changes recorded with the message's own (one statement for all), e.g. a joined contact. */
  alongside: (inserted: MessageRow) => CaseChange[] = () => [],
): Promise<{ message: MessageRow; case: CaseRow }> {
  assertNotClosed(row);
  if (message.author.type === 'customer' && message.visibility !== 'public') {
    throw unprocessable('case.customer_message_public', 'Customer messages are always public');
  }
  const status = nextStatus(row, message);
  const inserted = await insertMessage(tx, actor, {
    caseId: row.id,
    visibility: message.visibility,
    authorType: message.author.type,
    authorAgentId: message.author.agentId,
    authorCustomerId: message.author.customerId,
    channel: message.channel,
    bodyText: message.bodyText,
    metadata: message.metadata,
  });
  await attachToMessage(tx, actor, message.attachmentIds, inserted.id);

  const changes: CaseChanges = { last_message_at: 'now' };
  if (message.author.type === 'customer') changes.last_customer_message_at = 'now';
  if (message.author.type === 'agent' && message.visibility === 'public' && row.first_agent_reply_at === null)
    changes.first_agent_reply_at = 'now';
  if (status !== row.status) Object.assign(changes, { status }, lifecycleTimestamps(row.status, status, 'now' as const));
  const updated = await updateCaseRow(tx, actor, row.id, changes);
  if (!updated) throw new Error(`case ${row.id} vanished while locked`);

  const recorded: CaseChange[] = [
    {
      caseId: row.id,
      type: 'message_added',
      data: {
        message_id: inserted.id,
        visibility: inserted.visibility,
        author_type: inserted.author_type,
        channel: inserted.channel,
        // Readers of the event that show the message (the chat widget) skip the files query without.
        has_files: (message.attachmentIds?.length ?? 0) > 0,
      },
    },
  ];
  if (status !== row.status)
    recorded.push({ caseId: row.id, type: 'status_changed', data: { from: row.status, to: status, reason: 'message' } });
  await recordCaseChanges(tx, actor, [...recorded, ...alongside(inserted)]);
  return { message: inserted, case: updated };
}
