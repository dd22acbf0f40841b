import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { conflict } from '../../platform/errors.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { moveCasesToCustomer } from '../cases/customer-moves.js';
import { lockPair } from './merge-customers.js';
import { loadMerge, markMergeUndone, moveIdentitiesBack } from './merge-store.js';
import { toMergeView } from './merge-view.js';
import { ensurePrimaryIdentities, setMergedInto, updateCustomerRow } from './store.js';
import type { CustomerMergeView } from './view.js';

/**
 * Undoes a merge exactly: the recorded identities (with their former primary flags) and cases go
 * back to the source if they are still on the target, the tags the merge added leave the target,
 * and the source is un-merged. Things changed since the merge on their own (an identity deleted,
 * a case moved to a third customer) stay as they are.
 */
export async function undoCustomerMerge(db: Db, actor: Actor, mergeId: string): Promise<CustomerMergeView> {
  authorize(actor, 'customer.merge', customersOf(actor));
  return inTransaction(db, async (tx) => {
    const merge = await loadMerge(tx, actor, mergeId, { lock: true });
    if (merge.undone_at)
      throw conflict('customer_merge.already_undone', 'This merge was already undone', { undone_at: merge.undone_at.toISOString() });
    const [target, source] = await lockPair(tx, actor, merge.target_customer_id, merge.source_customer_id);
    if (target.merged_into_id) {
      // The moved identities and cases travelled on with the target: undo that later merge first.
      throw conflict('customer_merge.target_merged', 'The target customer was merged into another customer since; undo that merge first', {
        merged_into_id: target.merged_into_id,
      });
    }
    if (source.merged_into_id !== target.id) {
      throw conflict('customer_merge.source_changed', 'The source customer is no longer merged into the target', {
        merged_into_id: source.merged_into_id,
      });
    }
    const moved = merge.moved;
    await moveIdentitiesBack(tx, actor, {
      identityIds: moved.identity_ids,
      primaryIds: moved.primary_identity_ids ?? [],
      fromId: target.id,
      toId: source.id,
    });
    await ensurePrimaryIdentities(tx, actor, target.id);
    await ensurePrimaryIdentities(tx, actor, source.id);
    await moveCasesToCustomer(tx, actor, moved.case_ids, source.id, { reason: 'customer_merge_undone', onlyFromCustomerId: target.id });
    await updateCustomerRow(tx, actor, target.id, null, { tags: target.tags.filter((t) => !moved.tags_added.includes(t)) });
    await setMergedInto(tx, actor, source.id, null);
    const undone = await markMergeUndone(tx, actor, merge.id);
    const details = { merge_id: merge.id, source_customer_id: source.id, target_customer_id: target.id };
    await recordAudit(tx, actor, { action: 'customer.merge_undone', targetType: 'customer', targetId: target.id, details });
    await recordDomainEvent(tx, actor, {
      type: 'customer.merge_undone',
      aggregateType: 'customer',
      aggregateId: target.id,
      payload: details,
    });
    return toMergeView(undone);
  });
}
