import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { unprocessable } from '../../platform/errors.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { moveCasesBetweenCustomers } from '../cases/customer-moves.js';
import { listMergeRows, insertMerge, moveAllIdentities } from './merge-store.js';
import { toMergeView } from './merge-view.js';
import { decodeTimeCursor, MAX_TAGS } from './normalize.js';
import type { CustomerMergeRecord } from './schema.js';
import { loadCustomer, setMergedInto, updateCustomerRow } from './store.js';
import type { CustomerMergeView, CustomerRow } from './view.js';

/** Loads and row-locks two customers in id order, so concurrent merges of one pair cannot deadlock. */
export async function lockPair(tx: Db, actor: Actor, aId: string, bId: string): Promise<[CustomerRow, CustomerRow]> {
  const rows = new Map<string, CustomerRow>();
  for (const id of [aId, bId].sort()) rows.set(id, await loadCustomer(tx, actor, 'customer.merge', id, { lock: true }));
  return [rows.get(aId)!, rows.get(bId)!];
}

/**
 * Merges the source customer INTO the target, in one transaction: the source's identities and
 * cases move to the target, its tags join the target's, and the source is marked merged. The
 * merge record keeps exactly what moved so `undoCustomerMerge` can put it back.
 */
export async function mergeCustomers(db: Db, actor: Actor, targetId: string, sourceId: string): Promise<CustomerMergeView> {
  authorize(actor, 'customer.merge', customersOf(actor));
  return inTransaction(db, async (tx) => {
    if (targetId === sourceId) {
      await loadCustomer(tx, actor, 'customer.merge', targetId);
      throw unprocessable('customer_merge.same_customer', 'A customer cannot be merged into itself', { field: 'source_customer_id' });
    }
    const [target, source] = await lockPair(tx, actor, targetId, sourceId);
    if (target.merged_into_id) {
      throw unprocessable(
        'customer_merge.target_merged',
        'The target customer is itself merged into another customer; merge into that one',
        { merged_into_id: target.merged_into_id },
      );
    }
    if (source.merged_into_id) {
      throw unprocessable('customer_merge.source_merged', 'The source customer is already merged into another customer', {
        merged_into_id: source.merged_into_id,
      });
    }
    const tagsAdded = source.tags.filter((t) => !target.tags.includes(t));
    if (target.tags.length + tagsAdded.length > MAX_TAGS) {
      throw unprocessable('customer_merge.too_many_tags', `Together the two customers have more than ${MAX_TAGS} tags; remove some first`, {
        limit: MAX_TAGS,
      });
    }

    const identities = await moveAllIdentities(tx, actor, source.id, target.id);
    const caseIds = await moveCasesBetweenCustomers(tx, actor, source.id, target.id, { reason: 'customer_merge' });
    await updateCustomerRow(tx, actor, target.id, null, { tags: [...target.tags, ...tagsAdded] });
    await setMergedInto(tx, actor, source.id, target.id);

    const moved: CustomerMergeRecord = {
      identity_ids: identities.identityIds,
      case_ids: caseIds,
      tags_added: tagsAdded,
      primary_identity_ids: identities.primaryIds,
    };
    const merge = await insertMerge(tx, actor, { sourceCustomerId: source.id, targetCustomerId: target.id, moved });
    const details = { merge_id: merge.id, source_customer_id: source.id, target_customer_id: target.id, ...moved };
    await recordAudit(tx, actor, { action: 'customer.merged', targetType: 'customer', targetId: target.id, details });
    await recordDomainEvent(tx, actor, { type: 'customer.merged', aggregateType: 'customer', aggregateId: target.id, payload: details });
    return toMergeView(merge);
  });
}

/** Merges a customer took part in, as source or target, newest first. */
export async function listCustomerMerges(
  db: Db,
  actor: Actor,
  customerId: string,
  page: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: CustomerMergeView[]; next_cursor: string | null }> {
  const limit = page.limit ?? 25;
  const after = decodeTimeCursor(page.cursor);
  await loadCustomer(db, actor, 'customer.read', customerId);
  const rows = await listMergeRows(db, actor, customerId, { limit, after: after ? { mergedAtKey: after.at, id: after.id } : undefined });
  const result = pageOf(rows, limit, (r) => [r.merged_at_key, r.id]);
  return { data: result.data.map(toMergeView), next_cursor: result.next_cursor };
}
