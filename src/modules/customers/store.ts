import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, type Permission } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { notFound } from '../../platform/errors.js';
import { isUuid, likePrefix } from './normalize.js';
import type { CorrespondenceFormat, IdentityKind, PostalAddress, PreferredChannel } from './schema.js';
import type { CustomerRow, CustomerSummary, IdentityRow } from './view.js';

/**
 * SQL of customers and their identities. Every function takes the Actor, confines itself to the
 * actor's workspace and authorizes before it reads or writes.
 */

const CUSTOMER_COLUMNS = [
  'c.id',
  'c.workspace_id',
  'c.name',
  'c.organization',
  'c.postal_address',
  'c.language',
  'c.time_zone',
  'c.preferred_channel',
  'c.correspondence_format',
  'c.notes',
  'c.tags',
  'c.tier',
  'c.merged_into_id',
  'c.version',
  'c.created_at',
  'c.updated_at',
] as const;

const CUSTOMER_RETURNING = CUSTOMER_COLUMNS.map((c) => c.slice(2) as StripAlias<typeof c>);
type StripAlias<T extends string> = T extends `c.${infer C}` ? C : never;

const IDENTITY_COLUMNS = ['i.id', 'i.customer_id', 'i.kind', 'i.value', 'i.is_primary', 'i.undeliverable_at', 'i.created_at'] as const;

const resourceOf = (row: { id: string; workspace_id: string }) => ({ workspaceId: row.workspace_id, type: 'customer', customerId: row.id });

/** One customer of the actor's workspace (404 otherwise); `lock` takes a row lock for a write. */
export async function loadCustomer(
  db: Db,
  actor: Actor,
  permission: Permission,
  id: string,
  options: { lock?: boolean } = {},
): Promise<CustomerRow> {
  authorize(actor, permission, customersOf(actor));
  if (!isUuid(id)) throw notFound('customer');
  let query = db
    .selectFrom('customers as c')
    .select(CUSTOMER_COLUMNS)
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('customer');
  authorize(actor, permission, resourceOf(row));
  return row;
}

export async function listIdentities(db: Db, actor: Actor, customerIds: readonly string[]): Promise<IdentityRow[]> {
  authorize(actor, 'customer.read', customersOf(actor));
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('customer_identities as i')
    .select(IDENTITY_COLUMNS)
    .where('i.workspace_id', '=', actor.workspaceId)
    .where('i.customer_id', 'in', [...customerIds])
    .orderBy('i.customer_id')
    .orderBy('i.kind')
    .orderBy('i.is_primary', 'desc')
    .orderBy('i.created_at')
    .orderBy(sql`i.added nulls first`)
    .orderBy('i.id')
    .execute();
}

export interface CustomerListFilter {
  tag?: string | undefined;
  tier?: string | undefined;
  q?: string | undefined;
  /** Also match identity values by this phone prefix (q normalized as a phone number). */
  phonePrefix?: string | undefined;
  after?: { createdAtKey: string; id: string } | undefined;
  limit: number;
}

/**
 * A page of customers, newest first, merged ones left out. `created_at_key` is the timestamp as
 * PostgreSQL text: a JS Date would drop the microseconds and make the cursor skip rows.
 */
export async function listCustomerRows(
  db: Db,
  actor: Actor,
  filter: CustomerListFilter,
): Promise<(CustomerRow & { created_at_key: string })[]> {
  authorize(actor, 'customer.read', customersOf(actor));
  let query = db
    .selectFrom('customers as c')
    .select(CUSTOMER_COLUMNS)
    .select(sql<string>`c.created_at::text`.as('created_at_key'))
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.merged_into_id', 'is', null);
  if (filter.tag !== undefined) query = query.where(sql<boolean>`c.tags @> array[${filter.tag}]::text[]`);
  if (filter.tier !== undefined) query = query.where('c.tier', '=', filter.tier);
  if (filter.q !== undefined) {
    const q = filter.q;
    const phonePrefix = filter.phonePrefix;
    query = query.where((eb) =>
      eb.or([
        eb('c.name', 'ilike', likePrefix(q)),
        eb('c.name', 'ilike', `% ${likePrefix(q)}`),
        eb.exists(
          eb
            .selectFrom('customer_identities as i')
            .select(sql`1`.as('one'))
            .whereRef('i.customer_id', '=', 'c.id')
            .where((ib) =>
              ib.or([
                ib('i.value', 'like', likePrefix(q.toLowerCase())),
                ...(phonePrefix ? [ib('i.value', 'like', likePrefix(phonePrefix))] : []),
              ]),
            ),
        ),
      ]),
    );
  }
  if (filter.after) {
    const { createdAtKey, id } = filter.after;
    query = query.where(sql<boolean>`(c.created_at, c.id) < (${createdAtKey}::timestamptz, ${id}::uuid)`);
  }
  return query
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export interface NewCustomer {
  name?: string;
  organization?: string;
  postal_address?: PostalAddress | null;
  language?: string;
  time_zone?: string;
  preferred_channel?: PreferredChannel;
  correspondence_format?: CorrespondenceFormat;
  notes?: string;
  tags?: string[];
  tier?: string | null;
}

export async function insertCustomer(tx: Db, actor: Actor, values: NewCustomer): Promise<CustomerRow> {
  authorize(actor, 'customer.write', customersOf(actor));
  const { postal_address, ...rest } = values;
  return tx
    .insertInto('customers')
    .values({
      ...rest,
      workspace_id: actor.workspaceId,
      ...(postal_address !== undefined ? { postal_address: postal_address === null ? null : JSON.stringify(postal_address) } : {}),
    })
    .returning(CUSTOMER_RETURNING)
    .executeTakeFirstOrThrow();
}

/** Removes a customer this transaction just created and turned out not to need (find-or-create race). */
export async function deleteNewCustomer(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'customer.write', customersOf(actor));
  await tx.deleteFrom('customers').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
}

export type CustomerPatch = Omit<NewCustomer, 'postal_address'> & { postal_address?: PostalAddress | null };

/**
 * Applies a patch and bumps the version. With `expectedVersion`, only when the row still has it
 * (optimistic concurrency): undefined then means "stale or gone", the caller tells which.
 */
export async function updateCustomerRow(
  tx: Db,
  actor: Actor,
  id: string,
  expectedVersion: number | null,
  patch: CustomerPatch,
): Promise<CustomerRow | undefined> {
  authorize(actor, 'customer.write', customersOf(actor));
  const { postal_address, ...rest } = patch;
  let query = tx
    .updateTable('customers as c')
    .set({
      ...rest,
      ...(postal_address !== undefined ? { postal_address: postal_address === null ? null : JSON.stringify(postal_address) } : {}),
      version: sql<number>`c.version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', '=', id);
  if (expectedVersion !== null) query = query.where('c.version', '=', expectedVersion);
  return query.returning(CUSTOMER_COLUMNS).executeTakeFirst();
}

/** Marks a customer merged into another (or un-merged with null); bumps the version. */
export async function setMergedInto(tx: Db, actor: Actor, id: string, mergedIntoId: string | null): Promise<void> {
  authorize(actor, 'customer.merge', customersOf(actor));
  await tx
    .updateTable('customers as c')
    .set({ merged_into_id: mergedIntoId, version: sql<number>`c.version + 1`, updated_at: sql<Date>`now()` })
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', '=', id)
    .execute();
}

/** The customer holding an identity value, if any. */
export async function findIdentityOwner(
  db: Db,
  actor: Actor,
  kind: IdentityKind,
  value: string,
): Promise<{ id: string; customer_id: string } | undefined> {
  authorize(actor, 'customer.read', customersOf(actor));
  return db
    .selectFrom('customer_identities')
    .select(['id', 'customer_id'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
}

/** The customer a merged customer now lives in, following chains of merges. */
export async function survivingCustomerId(db: Db, actor: Actor, id: string): Promise<string> {
  authorize(actor, 'customer.read', customersOf(actor));
  let current = id;
  // A merge into a merged customer is refused, so chains only form by merging the survivor later; 50 hops is far beyond that.
  for (let hop = 0; hop < 50; hop++) {
    const row = await db
      .selectFrom('customers')
      .select('merged_into_id')
      .where('workspace_id', '=', actor.workspaceId)
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row?.merged_into_id) return current;
    current = row.merged_into_id;
  }
  return current;
}

/**
 * Inserts an identity; null when the value already belongs to a customer of the workspace.
 * ON CONFLICT waits for a concurrent insert of the same value and then reports it taken, so a
 * race never aborts the caller's transaction with a unique violation.
 */
export async function insertIdentity(
  tx: Db,
  actor: Actor,
  identity: { customerId: string; kind: IdentityKind; value: string; isPrimary: boolean },
): Promise<string | null> {
  authorize(actor, 'customer.write', customersOf(actor));
  const row = await tx
    .insertInto('customer_identities')
    .values({
      workspace_id: actor.workspaceId,
      customer_id: identity.customerId,
      kind: identity.kind,
      value: identity.value,
      is_primary: identity.isPrimary,
      // now() is the transaction's start: identities added in one transaction would tie and list in random order.
      created_at: sql<Date>`clock_timestamp()`,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'value']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function loadIdentity(db: Db, actor: Actor, customerId: string, identityId: string): Promise<IdentityRow> {
  authorize(actor, 'customer.read', customersOf(actor));
  if (!isUuid(identityId)) throw notFound('customer_identity');
  const row = await db
    .selectFrom('customer_identities as i')
    .select(IDENTITY_COLUMNS)
    .where('i.workspace_id', '=', actor.workspaceId)
    .where('i.customer_id', '=', customerId)
    .where('i.id', '=', identityId)
    .executeTakeFirst();
  if (!row) throw notFound('customer_identity');
  return row;
}

export async function deleteIdentity(tx: Db, actor: Actor, customerId: string, identityId: string): Promise<void> {
  authorize(actor, 'customer.write', customersOf(actor));
  await tx
    .deleteFrom('customer_identities')
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', customerId)
    .where('id', '=', identityId)
    .execute();
}

/** Makes one identity the primary of its kind: demote first, then promote (the one-primary index checks each row). */
export async function makePrimaryIdentity(
  tx: Db,
  actor: Actor,
  customerId: string,
  identity: { id: string; kind: IdentityKind },
): Promise<void> {
  authorize(actor, 'customer.write', customersOf(actor));
  await tx
    .updateTable('customer_identities')
    .set({ is_primary: false })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', identity.kind)
    .where('is_primary', '=', true)
    .where('id', '<>', identity.id)
    .execute();
  await tx
    .updateTable('customer_identities')
    .set({ is_primary: true })
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', customerId)
    .where('id', '=', identity.id)
    .execute();
}

/** Where a customer has identities of a kind but no primary, the oldest becomes primary. */
export async function ensurePrimaryIdentities(tx: Db, actor: Actor, customerId: string): Promise<void> {
  authorize(actor, 'customer.write', customersOf(actor));
  await sql`
    update customer_identities set is_primary = true
    where id in (
      select distinct on (kind) id from customer_identities i
      where i.workspace_id = ${actor.workspaceId} and i.customer_id = ${customerId}
        and not exists (select 1 from customer_identities p where p.customer_id = i.customer_id and p.kind = i.kind and p.is_primary)
      order by kind, created_at, added nulls first, id)`.execute(tx);
}

/** Names, organizations and primary emails of customers, in one query (for lists of cases). */
export async function loadCustomerSummaries(db: Db, actor: Actor, ids: readonly string[]): Promise<CustomerSummary[]> {
  authorize(actor, 'customer.read', customersOf(actor));
  const valid = [...new Set(ids)].filter(isUuid);
  if (valid.length === 0) return [];
  return db
    .selectFrom('customers as c')
    .select(['c.id', 'c.name', 'c.organization', 'c.tags', 'c.tier'])
    .select((eb) =>
      eb
        .selectFrom('customer_identities as i')
        .select('i.value')
        .whereRef('i.customer_id', '=', 'c.id')
        .where('i.kind', '=', 'email')
        .orderBy('i.is_primary', 'desc')
        .orderBy('i.created_at')
        .orderBy(sql`i.added nulls first`)
        .orderBy('i.id')
        .limit(1)
        .as('primary_email'),
    )
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', 'in', valid)
    .execute();
}
