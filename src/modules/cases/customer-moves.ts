import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { recordCaseChange } from './case-events.js';

/**
 * Moving cases from one customer to another (customer merges and their undo). The cases table
 * belongs to this module, so the customers module calls these instead of writing SQL on it.
 * Both run in the caller's transaction, bump each case's version and record a
 * `customer_changed` case event per case.
 */
export type CustomerMoveReason = 'customer_merge' | 'customer_merge_undone';

/** Moves every case of `fromCustomerId` to `toCustomerId`; returns the moved case ids (sorted). */
export async function moveCasesBetweenCustomers(
  tx: Db,
  actor: Actor,
  fromCustomerId: string,
  toCustomerId: string,
  options: { reason?: CustomerMoveReason } = {},
): Promise<string[]> {
  authorize(actor, 'case.write');
  const reason = options.reason ?? 'customer_merge';
  const rows = await tx
    .updateTable('cases')
    .set({ customer_id: toCustomerId, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', fromCustomerId)
    .returning('id')
    .execute();
  const ids = rows.map((r) => r.id).sort();
  for (const caseId of ids) {
    await recordCaseChange(tx, actor, { caseId, type: 'customer_changed', data: { from: fromCustomerId, to: toCustomerId, reason } });
  }
  return ids;
}

/**
 * Moves the given cases to `toCustomerId`. With `onlyFromCustomerId`, only cases still belonging
 * to that customer move (an undo must not pull back a case someone moved elsewhere since).
 * Cases of other workspaces and cases already on the customer are left alone.
 */
export async function moveCasesToCustomer(
  tx: Db,
  actor: Actor,
  caseIds: readonly string[],
  toCustomerId: string,
  options: { reason?: CustomerMoveReason; onlyFromCustomerId?: string } = {},
): Promise<void> {
  authorize(actor, 'case.write');
  if (caseIds.length === 0) return;
  const reason = options.reason ?? 'customer_merge_undone';
  let query = tx
    .selectFrom('cases')
    .select(['id', 'customer_id'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', 'in', [...caseIds])
    .where('customer_id', '<>', toCustomerId);
  if (options.onlyFromCustomerId !== undefined) query = query.where('customer_id', '=', options.onlyFromCustomerId);
  const moving = await query.orderBy('id').forUpdate().execute();
  if (moving.length === 0) return;
  await tx
    .updateTable('cases')
    .set({ customer_id: toCustomerId, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', actor.workspaceId)
    .where(
      'id',
      'in',
      moving.map((c) => c.id),
    )
    .execute();
  for (const c of moving) {
    await recordCaseChange(tx, actor, { caseId: c.id, type: 'customer_changed', data: { from: c.customer_id, to: toCustomerId, reason } });
  }
}
