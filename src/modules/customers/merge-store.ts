import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { actorRef } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from './normalize.js';
import type { CustomerMergeRecord } from './schema.js';

/** SQL of customer merges: moving identities and tags, and the customer_merges records. */

export interface MergeRow {
  id: string;
  workspace_id: string;
  source_customer_id: string;
  target_customer_id: string;
  moved: CustomerMergeRecord;
  merged_by: string | null;
  merged_at: Date;
  undone_by: string | null;
  undone_at: Date | null;
}

const MERGE_COLUMNS = [
  'id',
  'workspace_id',
  'source_customer_id',
  'target_customer_id',
  'moved',
  'merged_by',
  'merged_at',
  'undone_by',
  'undone_at',
] as const;

/** Locks two customers in a fixed (id) order, so two merges of the same pair cannot deadlock. */
export async function lockCustomerPair(tx: Db, actor: Actor, a: string, b: string): Promise<void> {
  authorize(actor, 'customer.merge', customersOf(actor));
  await tx
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', 'in', [a, b])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Moves every identity of `fromId` to `toId`. Where the target already has a primary of a kind,
 * the moved ones of that kind arrive demoted (one primary per kind); the source's primaries are
 * returned so an undo can restore them.
 */
export async function moveAllIdentities(
  tx: Db,
  actor: Actor,
  fromId: string,
  toId: string,
): Promise<{ identityIds: string[]; primaryIds: string[] }> {
  authorize(actor, 'customer.merge', customersOf(actor));
  const rows = await sql<{ id: string; was_primary: boolean }>`
    with before as (
      select id, is_primary from customer_identities
      where workspace_id = ${actor.workspaceId} and customer_id = ${fromId}
    ), target_kinds as (
      select distinct kind from customer_identities
      where workspace_id = ${actor.workspaceId} and customer_id = ${toId} and is_primary
    )
    update customer_identities i
    set customer_id = ${toId},
        is_primary = i.is_primary and i.kind not in (select kind from target_kinds)
    from before b
    where i.id = b.id
    returning i.id, b.is_primary as was_primary`.execute(tx);
  const sorted = [...rows.rows].sort((x, y) => (x.id < y.id ? -1 : 1));
  return { identityIds: sorted.map((r) => r.id), primaryIds: sorted.filter((r) => r.was_primary).map((r) => r.id) };
}

/**
 * Moves identities back from the target to the source with their former primary flags. Only
 * those still on the target move (one deleted since the merge is simply gone).
 */
export async function moveIdentitiesBack(
  tx: Db,
  actor: Actor,
  move: { identityIds: string[]; primaryIds: string[]; fromId: string; toId: string },
): Promise<void> {
  authorize(actor, 'customer.merge', customersOf(actor));
  if (move.identityIds.length === 0) return;
  // Demote on the target first: a returning primary must not sit beside the target's own primary, even for a moment.
  await tx
    .updateTable('customer_identities')
    .set({ is_primary: false })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', move.fromId)
    .where('id', 'in', move.identityIds)
    .execute();
  await tx
    .updateTable('customer_identities')
    .set({ customer_id: move.toId, is_primary: sql<boolean>`id = any(${move.primaryIds}::uuid[])` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', move.fromId)
    .where('id', 'in', move.identityIds)
    .execute();
}

export async function insertMerge(
  tx: Db,
  actor: Actor,
  merge: { sourceCustomerId: string; targetCustomerId: string; moved: CustomerMergeRecord },
): Promise<MergeRow> {
  authorize(actor, 'customer.merge', customersOf(actor));
  const ref = actorRef(actor);
  return tx
    .insertInto('customer_merges')
    .values({
      workspace_id: actor.workspaceId,
      source_customer_id: merge.sourceCustomerId,
      target_customer_id: merge.targetCustomerId,
      moved: JSON.stringify(merge.moved),
      merged_by: ref.actor_type === 'agent' ? ref.actor_id : null,
    })
    .returning(MERGE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function loadMerge(db: Db, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<MergeRow> {
  authorize(actor, 'customer.read', customersOf(actor, 'customer_merge'));
  if (!isUuid(id)) throw notFound('customer_merge');
  let query = db.selectFrom('customer_merges').select(MERGE_COLUMNS).where('workspace_id', '=', actor.workspaceId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('customer_merge');
  return row;
}

export async function markMergeUndone(tx: Db, actor: Actor, id: string): Promise<MergeRow> {
  authorize(actor, 'customer.merge', customersOf(actor));
  const ref = actorRef(actor);
  return tx
    .updateTable('customer_merges')
    .set({ undone_at: sql<Date>`now()`, undone_by: ref.actor_type === 'agent' ? ref.actor_id : null })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .returning(MERGE_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Merges a customer took part in (as source or target), newest first, keyset-paginated. */
export async function listMergeRows(
  db: Db,
  actor: Actor,
  customerId: string,
  page: { after?: { mergedAtKey: string; id: string } | undefined; limit: number },
): Promise<(MergeRow & { merged_at_key: string })[]> {
  authorize(actor, 'customer.read', customersOf(actor));
  let query = db
    .selectFrom('customer_merges')
    .select(MERGE_COLUMNS)
    .select(sql<string>`merged_at::text`.as('merged_at_key'))
    .where('workspace_id', '=', actor.workspaceId)
    .where((eb) => eb.or([eb('source_customer_id', '=', customerId), eb('target_customer_id', '=', customerId)]));
  if (page.after) query = query.where(sql<boolean>`(merged_at, id) < (${page.after.mergedAtKey}::timestamptz, ${page.after.id}::uuid)`);
  return query
    .orderBy('merged_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
