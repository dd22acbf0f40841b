import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { RefundStatus } from '../schema.js';
import { authorizeBillingRead, authorizeBillingWrite } from './access.js';
import type { RefundRow } from './rows.js';

export interface RefundValues {
  account_id: string;
  payment_id: string;
  money_action_id: string | null;
  external_id: string | null;
  amount_minor: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  source_event_at: Date | null;
}

/**
 * Inserts a refund; the billing_refunds trigger adds it to the payment's refunded_minor, whose
 * CHECK fails the statement when the payment would be over-refunded (also under a race).
 */
export async function insertRefundRow(tx: Db, actor: Actor, values: RefundValues): Promise<string | null> {
  authorizeBillingWrite(actor, 'refund');
  const row = await tx
    .insertInto('billing_refunds')
    .values({ ...values, workspace_id: actor.workspaceId })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function lockRefund(tx: Db, actor: Actor, by: { id: string } | { externalId: string }): Promise<RefundRow | undefined> {
  authorizeBillingRead(actor, 'refund');
  let query = tx.selectFrom('billing_refunds').selectAll().where('workspace_id', '=', actor.workspaceId);
  query = 'id' in by ? query.where('id', '=', by.id) : query.where('external_id', '=', by.externalId);
  return query.forUpdate().executeTakeFirst();
}

export async function updateRefundRow(
  tx: Db,
  actor: Actor,
  id: string,
  patch: Pick<RefundValues, 'amount_minor' | 'status' | 'reason' | 'source_event_at' | 'external_id'>,
) {
  authorizeBillingWrite(actor, 'refund');
  await tx
    .updateTable('billing_refunds')
    .set({ ...patch, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function selectRefund(db: Db, actor: Actor, id: string): Promise<RefundRow | undefined> {
  authorizeBillingRead(actor, 'refund');
  return db.selectFrom('billing_refunds').selectAll().where('workspace_id', '=', actor.workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function selectRefundByExternalId(db: Db, actor: Actor, externalId: string): Promise<RefundRow | undefined> {
  authorizeBillingRead(actor, 'refund');
  return db
    .selectFrom('billing_refunds')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** A payment's refunds, newest first. */
export async function selectRefundsOfPayment(db: Db, actor: Actor, paymentId: string): Promise<RefundRow[]> {
  authorizeBillingRead(actor, 'refund');
  return db
    .selectFrom('billing_refunds')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('payment_id', '=', paymentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
