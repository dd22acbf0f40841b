import type { Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { selectMessages } from './message-store.js';
import { validationError } from '../../platform/errors.js';
import { isUuid, loadCase } from './store.js';
import { toMessageViews, type MessageView } from './views.js';

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export const MAX_PAGE = 100;
/** The customer's page shows the whole public conversation; this bounds a pathological case. */
const MAX_PUBLIC_MESSAGES = 1000;

/** The conversation for agents, notes included, oldest first, keyset-paginated on (created_at, id). */
export async function listMessages(
  db: Db,
  actor: Actor,
  caseId: string,
  page: PageRequest = {},
): Promise<{ data: MessageView[]; next_cursor: string | null }> {
  const row = await loadCase(db, actor, caseId, 'case.read');
  const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_PAGE);
  const after = decodeCursor(page.cursor, ['number', 'string']) as [number, string] | undefined;
  if (after && (!Number.isSafeInteger(after[0]) || !isUuid(after[1]))) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  const rows = await selectMessages(db, actor, row.id, {
    publicOnly: false,
    limit: limit + 1,
    after: after ? { createdUs: after[0], id: after[1] } : undefined,
  });
  const result = pageOf(rows, limit, (r) => [r.created_us, r.id]);
  return { data: await toMessageViews(db, actor, result.data), next_cursor: result.next_cursor };
}

/** What the customer sees on their status page: public messages only, oldest first. */
export async function listPublicMessages(db: Db, actor: Actor, caseId: string): Promise<MessageView[]> {
  const permission = actor.kind === 'customer' ? 'status_link.read' : 'case.read';
  const row = await loadCase(db, actor, caseId, permission);
  const rows = await selectMessages(db, actor, row.id, { publicOnly: true, limit: MAX_PUBLIC_MESSAGES });
  return toMessageViews(db, actor, rows);
}

/** Who wrote a message and when, without its text or authors' names. */
export interface MessageAuthorship {
  visibility: MessageView['visibility'];
  author_type: MessageView['author_type'];
  created_at: Date;
}

/**
 * Who wrote a case's first messages and when, oldest first, in one statement: what reply clocks
 * need (the SLA listener), where listMessages also reads the case, the authors' names and the
 * attachments. Baton's own use: a system actor of the case's workspace.
 */
export async function messageAuthorshipOf(db: Db, actor: Actor, caseId: string, limit: number): Promise<MessageAuthorship[]> {
  if (actor.kind !== 'system') throw new Error('messageAuthorshipOf is for Baton itself');
  if (!isUuid(caseId)) return [];
  const rows = await selectMessages(db, actor, caseId, { publicOnly: false, limit: Math.min(Math.max(limit, 1), MAX_PAGE) });
  return rows.map((row) => ({ visibility: row.visibility, author_type: row.author_type, created_at: row.created_at }));
}
