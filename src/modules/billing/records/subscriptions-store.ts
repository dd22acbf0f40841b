import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { BillingInterval, SubscriptionStatus } from '../schema.js';
import { authorizeBillingRead, authorizeBillingWrite } from './access.js';
import type { SubscriptionRow } from './rows.js';

export interface SubscriptionValues {
  account_id: string;
  external_id: string | null;
  plan_name: string;
  status: SubscriptionStatus;
  price_minor: number;
  currency: string;
  billing_interval: BillingInterval;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  source_event_at: Date | null;
}

/** Inserts unless the external id exists (waits for a concurrent insert of it); null = it existed. */
export async function insertSubscriptionRow(tx: Db, actor: Actor, values: SubscriptionValues): Promise<string | null> {
  authorizeBillingWrite(actor, 'subscription');
  const row = await tx
    .insertInto('billing_subscriptions')
    .values({ ...values, workspace_id: actor.workspaceId })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function lockSubscriptionByExternalId(tx: Db, actor: Actor, externalId: string): Promise<SubscriptionRow | undefined> {
  authorizeBillingRead(actor, 'subscription');
  return tx
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateSubscriptionRow(tx: Db, actor: Actor, id: string, values: Omit<SubscriptionValues, 'external_id'>) {
  authorizeBillingWrite(actor, 'subscription');
  await tx
    .updateTable('billing_subscriptions')
    .set({ ...values, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function selectSubscription(db: Db, actor: Actor, id: string): Promise<SubscriptionRow | undefined> {
  authorizeBillingRead(actor, 'subscription');
  return db
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}
