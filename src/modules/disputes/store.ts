import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import { OPEN_DISPUTE_STATUSES, type DisputeStatus, type DisputesTable } from './schema.js';

/** SQL of the disputes table. Every function scopes by the actor's workspace and authorizes. */

export type DisputeRow = Selectable<DisputesTable>;
export type NewDisputeRow = Omit<Insertable<DisputesTable>, 'workspace_id'>;
export type DisputeChanges = Omit<Updateable<DisputesTable>, 'id' | 'workspace_id' | 'created_at'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export function authorizeDisputes(actor: Actor, permission: Permission): string {
  authorize(actor, permission, { workspaceId: workspaceScope(actor), type: 'dispute' });
  return workspaceScope(actor);
}

/** A dispute of the actor's workspace, or `dispute.not_found` (also for ids of other workspaces). */
export async function loadDispute(
  db: Db,
  actor: Actor,
  disputeId: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<DisputeRow> {
  const workspaceId = authorizeDisputes(actor, permission);
  if (!isUuid(disputeId)) throw notFound('dispute');
  let query = db.selectFrom('disputes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', disputeId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('dispute');
  return row;
}

export async function findDisputeByCase(db: Db, actor: Actor, caseId: string): Promise<DisputeRow | undefined> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  if (!isUuid(caseId)) return undefined;
  return db
    .selectFrom('disputes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Locks the processor's dispute row (its update path); undefined when Baton has not seen it. */
export async function lockDisputeByExternalId(tx: Db, actor: Actor, externalId: string): Promise<DisputeRow | undefined> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  return tx
    .selectFrom('disputes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Inserts a dispute; with an external id a concurrent insert of the same processor dispute waits
 * on the unique index and then gets `undefined` (the caller takes the update path).
 */
export async function insertDispute(tx: Db, actor: Actor, values: NewDisputeRow): Promise<DisputeRow | undefined> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  return tx
    .insertInto('disputes')
    .values({ ...values, workspace_id: workspaceId })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateDisputeRow(tx: Db, actor: Actor, disputeId: string, changes: DisputeChanges): Promise<DisputeRow> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  return tx
    .updateTable('disputes')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', disputeId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function countOpenDisputes(db: Db, actor: Actor, customerId: string): Promise<number> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  if (!isUuid(customerId)) return 0;
  const row = await db
    .selectFrom('disputes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('status', 'in', [...OPEN_DISPUTE_STATUSES])
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface DisputeListFilter {
  status?: DisputeStatus[] | undefined;
  outcome?: ('won' | 'lost' | 'none')[] | undefined;
  dueBefore?: Date | undefined;
  customerId?: string | undefined;
  id?: string | undefined;
  limit: number;
  /** Keyset: rows strictly after (created_at desc, id desc). */
  after?: { createdUs: number; id: string } | undefined;
}

export type DisputeListRow = DisputeRow & {
  created_us: number;
  customer_name: string | null;
  case_number: number | null;
  case_status: string | null;
};

/**
 * Newest first, with the customer's name and the case number joined in the same query (no N+1).
 * The joins are read-only lookups of the customers and cases tables (their owners have no
 * batched list-join function); both are confined to the same workspace.
 */
export async function selectDisputes(db: Db, actor: Actor, filter: DisputeListFilter): Promise<DisputeListRow[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  let query = db
    .selectFrom('disputes as d')
    .leftJoin('customers as cu', (join) => join.onRef('cu.id', '=', 'd.customer_id').on('cu.workspace_id', '=', workspaceId))
    .leftJoin('cases as c', (join) => join.onRef('c.id', '=', 'd.case_id').on('c.workspace_id', '=', workspaceId))
    .selectAll('d')
    .select([
      sql<number>`(extract(epoch from d.created_at) * 1000000)::int8`.as('created_us'),
      'cu.name as customer_name',
      'c.number as case_number',
      'c.status as case_status',
    ])
    .where('d.workspace_id', '=', workspaceId);
  if (filter.status && filter.status.length > 0) query = query.where('d.status', 'in', filter.status);
  if (filter.outcome && filter.outcome.length > 0) {
    const outcomes = filter.outcome.filter((o): o is 'won' | 'lost' => o !== 'none');
    const none = filter.outcome.includes('none');
    query = query.where((eb) => {
      const parts = [];
      if (outcomes.length > 0) parts.push(eb('d.outcome', 'in', outcomes));
      if (none) parts.push(eb('d.outcome', 'is', null));
      return eb.or(parts);
    });
  }
  if (filter.dueBefore) query = query.where('d.evidence_due_at', '<', filter.dueBefore);
  if (filter.customerId) query = query.where('d.customer_id', '=', filter.customerId);
  if (filter.id) query = query.where('d.id', '=', filter.id);
  if (filter.after) {
    const after = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb(sql`(extract(epoch from d.created_at) * 1000000)::int8`, '<', after.createdUs),
        eb.and([eb(sql`(extract(epoch from d.created_at) * 1000000)::int8`, '=', after.createdUs), eb('d.id', '<', after.id)]),
      ]),
    );
  }
  return query
    .orderBy(sql`(extract(epoch from d.created_at) * 1000000)::int8`, 'desc')
    .orderBy('d.id', 'desc')
    .limit(filter.limit)
    .execute() as Promise<DisputeListRow[]>;
}

export interface ReportRow {
  currency: string;
  reason: string;
  bucket: 'won' | 'lost' | 'open' | 'closed_other';
  count: number;
  amount_minor: number;
}

/** Counts and amounts per currency, reason and outcome bucket, in one grouped query. */
export async function selectReport(db: Db, actor: Actor, range: { from?: Date | undefined; to?: Date | undefined }): Promise<ReportRow[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  let query = db
    .selectFrom('disputes')
    .select([
      'currency',
      'reason',
      sql<ReportRow['bucket']>`case
        when outcome = 'won' then 'won'
        when outcome = 'lost' then 'lost'
        when status in ('warning_closed', 'prevented') then 'closed_other'
        else 'open' end`.as('bucket'),
      sql<number>`count(*)::int`.as('count'),
      sql<number>`sum(amount_minor)::int8`.as('amount_minor'),
    ])
    .where('workspace_id', '=', workspaceId);
  if (range.from) query = query.where('created_at', '>=', range.from);
  if (range.to) query = query.where('created_at', '<', range.to);
  return query
    .groupBy(['currency', 'reason', sql`3`])
    .orderBy('currency')
    .orderBy('reason')
    .execute() as Promise<ReportRow[]>;
}

/** Open disputes whose evidence is due before `until` (the deadline job), oldest deadline first. */
export async function selectDisputesDueBefore(db: Db, until: Date, limit: number): Promise<DisputeRow[]> {
  return db
    .selectFrom('disputes')
    .selectAll()
    .where('outcome', 'is', null)
    .where('status', 'in', ['needs_response', 'warning_needs_response'])
    .where('evidence_due_at', 'is not', null)
    .where('evidence_due_at', '<=', until)
    .where('case_id', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('dispute_escalations as e')
            .select('e.dispute_id')
            .whereRef('e.dispute_id', '=', 'disputes.id')
            .where('e.threshold', '=', '24h'),
        ),
      ),
    )
    .orderBy('evidence_due_at')
    .limit(limit)
    .execute();
}
