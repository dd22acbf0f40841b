import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingWrite } from '../records/access.js';

/**
 * SQL of the billing side of customer merges: billing accounts and money actions moving between
 * customers, and the record of what moved (billing_customer_merge_moves) that makes the undo exact.
 * Every function scopes by the actor's workspace and authorizes (system actors pass).
 */

export interface MergeMovesRow {
  merge_id: string;
  source_customer_id: string;
  target_customer_id: string;
  account_ids: string[];
  money_action_ids: string[];
  dispute_ids: string[];
  undone_at: Date | null;
}

/**
 * Claims the merge for this listener run: true when the row is new. `undone` claims it as already
 * undone (the undo was relayed first): the merge's own event then finds the row and moves nothing.
 */
export async function claimMergeMoves(
  tx: Db,
  actor: Actor,
  merge: { mergeId: string; sourceCustomerId: string; targetCustomerId: string; undone?: boolean },
): Promise<boolean> {
  authorizeBillingWrite(actor, 'billing_account');
  const row = await tx
    .insertInto('billing_customer_merge_moves')
    .values({
      merge_id: merge.mergeId,
      workspace_id: actor.workspaceId,
      source_customer_id: merge.sourceCustomerId,
      target_customer_id: merge.targetCustomerId,
      undone_at: merge.undone ? sql<Date>`now()` : null,
    })
    .onConflict((oc) => oc.column('merge_id').doNothing())
    .returning('merge_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function lockMergeMoves(tx: Db, actor: Actor, mergeId: string): Promise<MergeMovesRow | undefined> {
  authorizeBillingWrite(actor, 'billing_account');
  return tx
    .selectFrom('billing_customer_merge_moves')
    .select(['merge_id', 'source_customer_id', 'target_customer_id', 'account_ids', 'money_action_ids', 'dispute_ids', 'undone_at'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('merge_id', '=', mergeId)
    .forUpdate()
    .executeTakeFirst();
}

export async function recordMergeMoves(
  tx: Db,
  actor: Actor,
  mergeId: string,
  moved: { accountIds: string[]; moneyActionIds: string[]; disputeIds: string[] },
): Promise<void> {
  await tx
    .updateTable('billing_customer_merge_moves')
    .set({ account_ids: moved.accountIds, money_action_ids: moved.moneyActionIds, dispute_ids: moved.disputeIds })
    .where('workspace_id', '=', actor.workspaceId)
    .where('merge_id', '=', mergeId)
    .execute();
}

export async function markMergeMovesUndone(tx: Db, actor: Actor, mergeId: string): Promise<void> {
  await tx
    .updateTable('billing_customer_merge_moves')
    .set({ undone_at: sql<Date>`now()` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('merge_id', '=', mergeId)
    .execute();
}

type CustomerKeyedTable = 'billing_accounts' | 'billing_money_actions';

/**
 * Moves rows of `fromCustomerId` to `toCustomerId`: all of them, or only the given ids (an undo,
 * which leaves rows moved elsewhere since where they are). The moved ids, sorted.
 */
export async function moveCustomerRows(
  tx: Db,
  actor: Actor,
  table: CustomerKeyedTable,
  fromCustomerId: string,
  toCustomerId: string,
  onlyIds?: readonly string[],
): Promise<string[]> {
  authorizeBillingWrite(actor, 'billing_account');
  if (onlyIds !== undefined && onlyIds.length === 0) return [];
  let query = tx
    .updateTable(table)
    .set({ customer_id: toCustomerId, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', fromCustomerId);
  if (onlyIds !== undefined) query = query.where('id', 'in', [...onlyIds]);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id).sort();
}
