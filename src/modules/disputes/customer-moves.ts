import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorizeDisputes } from './store.js';

/**
 * Disputes following their customer through a customer merge and its undo (the billing module's
 * merge listener calls these, in the relay's transaction). The dispute cases move with the cases
 * module's own merge step; only the disputes' customer changes here.
 */

/** Moves every dispute of `fromCustomerId` to `toCustomerId`; the moved ids, sorted. */
export async function moveDisputesBetweenCustomers(tx: Db, actor: Actor, fromCustomerId: string, toCustomerId: string): Promise<string[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  const rows = await tx
    .updateTable('disputes')
    .set({ customer_id: toCustomerId, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', fromCustomerId)
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}

/**
 * Moves the given disputes to `toCustomerId`, only those still with `fromCustomerId` (an undo does
 * not pull back a dispute moved elsewhere since); the moved ids, sorted.
 */
export async function moveDisputesToCustomer(
  tx: Db,
  actor: Actor,
  disputeIds: readonly string[],
  fromCustomerId: string,
  toCustomerId: string,
): Promise<string[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  if (disputeIds.length === 0) return [];
  const rows = await tx
    .updateTable('disputes')
    .set({ customer_id: toCustomerId, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...disputeIds])
    .where('customer_id', '=', fromCustomerId)
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}
