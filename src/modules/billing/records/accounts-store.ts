import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { BillingSource } from '../schema.js';
import { authorizeBillingRead, authorizeBillingWrite, billingNotFound, isUuid } from './access.js';
import type { BillingAccountRow } from './rows.js';

/** SQL of billing accounts; every function scopes by the actor's workspace and authorizes. */

export async function loadAccount(db: Db, actor: Actor, accountId: string, options: { lock?: boolean } = {}): Promise<BillingAccountRow> {
  authorizeBillingRead(actor);
  if (!isUuid(accountId)) throw billingNotFound('account');
  let query = db.selectFrom('billing_accounts').selectAll().where('workspace_id', '=', actor.workspaceId).where('id', '=', accountId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw billingNotFound('account');
  return row;
}

export async function selectAccountByExternalId(
  db: Db,
  actor: Actor,
  source: BillingSource,
  externalId: string,
): Promise<BillingAccountRow | undefined> {
  authorizeBillingRead(actor);
  return db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Accounts of several customers at once (state views, import look-ups). */
export async function selectAccountsOfCustomers(db: Db, actor: Actor, customerIds: readonly string[]): Promise<BillingAccountRow[]> {
  authorizeBillingRead(actor);
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', 'in', [...customerIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function selectAccountsByExternalIds(db: Db, actor: Actor, externalIds: readonly string[]): Promise<BillingAccountRow[]> {
  authorizeBillingRead(actor);
  if (externalIds.length === 0) return [];
  return db
    .selectFrom('billing_accounts')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', 'in', [...externalIds])
    .execute();
}

/** A ledger account without an external id: one per customer, source and currency. */
export async function selectUnkeyedAccount(
  tx: Db,
  actor: Actor,
  key: { customerId: string; source: BillingSource; currency: string },
): Promise<BillingAccountRow | undefined> {
  authorizeBillingRead(actor);
  return tx
    .selectFrom('billing_accounts')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('customer_id', '=', key.customerId)
    .where('source', '=', key.source)
    .where('currency', '=', key.currency)
    .where('external_id', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export interface AccountValues {
  customer_id: string;
  source: BillingSource;
  external_id: string | null;
  currency: string;
  name: string | null;
  email: string | null;
}

/** Inserts, or (same source + external id) updates name/email; `created` tells which. */
export async function upsertAccountRow(tx: Db, actor: Actor, values: AccountValues): Promise<{ id: string; created: boolean }> {
  authorizeBillingWrite(actor);
  const row = await tx
    .insertInto('billing_accounts')
    .values({ ...values, workspace_id: actor.workspaceId })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'source', 'external_id']).doUpdateSet({
        name: sql`coalesce(excluded.name, billing_accounts.name)`,
        email: sql`coalesce(excluded.email, billing_accounts.email)`,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

export async function updateAccountContact(tx: Db, actor: Actor, id: string, patch: { name: string | null; email: string | null }) {
  authorizeBillingWrite(actor);
  await tx
    .updateTable('billing_accounts')
    .set({
      name: sql`coalesce(${patch.name}, name)`,
      email: sql`coalesce(${patch.email}, email)`,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}
