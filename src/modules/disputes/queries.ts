import type { Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { validationError } from '../../platform/errors.js';
import type { DisputeStatus } from './schema.js';
import { countOpenDisputes, isUuid, selectDisputes, type DisputeListRow } from './store.js';
import { toDisputeSummary, type DisputeSummaryView } from './views.js';

/** Disputes not yet decided (needs or under response, inquiry or chargeback) of one customer. */
export async function countOpenDisputesOfCustomer(db: Db, actor: Actor, customerId: string): Promise<number> {
  return countOpenDisputes(db, actor, customerId);
}

/** A customer's disputes, newest first (at most 100), with case numbers: one query. */
export async function listDisputesOfCustomer(db: Db, actor: Actor, customerId: string): Promise<DisputeSummaryView[]> {
  if (!isUuid(customerId)) return [];
  const rows = await selectDisputes(db, actor, { customerId, limit: 100 });
  return rows.map(toDisputeSummary);
}

export interface DisputeListQuery {
  status?: DisputeStatus[] | undefined;
  outcome?: ('won' | 'lost' | 'none')[] | undefined;
  due_before?: string | undefined;
  customer_id?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const invalidCursor = () =>
  validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', { field: 'cursor' });

/** The disputes list, newest first, keyset-paginated on (created_at, id), in one query per page. */
export async function listDisputes(
  db: Db,
  actor: Actor,
  query: DisputeListQuery,
): Promise<{ data: DisputeSummaryView[]; next_cursor: string | null }> {
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const cursor = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  if (cursor && (!Number.isSafeInteger(cursor[0]) || !isUuid(cursor[1]))) throw invalidCursor();
  let dueBefore: Date | undefined;
  if (query.due_before !== undefined) {
    dueBefore = new Date(query.due_before);
    if (Number.isNaN(dueBefore.getTime())) {
      throw validationError('dispute.invalid_due_before', 'due_before must be a date-time', { field: 'due_before' });
    }
  }
  if (query.customer_id !== undefined && !isUuid(query.customer_id)) {
    throw validationError('dispute.invalid_customer_id', 'customer_id must be a customer id', { field: 'customer_id' });
  }
  const rows = await selectDisputes(db, actor, {
    status: query.status,
    outcome: query.outcome,
    dueBefore,
    customerId: query.customer_id,
    limit: limit + 1,
    after: cursor ? { createdUs: cursor[0], id: cursor[1] } : undefined,
  });
  const page = pageOf<DisputeListRow>(rows, limit, (r) => [Number(r.created_us), r.id]);
  return { data: page.data.map(toDisputeSummary), next_cursor: page.next_cursor };
}
