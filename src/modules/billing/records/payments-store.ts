import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { PaymentStatus } from '../schema.js';
import { can } from '../../../platform/authorization.js';
import { authorizeBillingRead, authorizeBillingWrite, billingOf } from './access.js';
import type { PaymentRow } from './rows.js';

export interface PaymentValues {
  account_id: string;
  invoice_id: string | null;
  external_id: string | null;
  processor_reference: string | null;
  amount_minor: number;
  currency: string;
  status: PaymentStatus;
  method_summary: string | null;
  failure_code: string | null;
  failure_message: string | null;
  paid_at: Date;
  source_event_at: Date | null;
}

export async function insertPaymentRow(tx: Db, actor: Actor, values: PaymentValues): Promise<string | null> {
  authorizeBillingWrite(actor, 'payment');
  const row = await tx
    .insertInto('billing_payments')
    .values({ ...values, workspace_id: actor.workspaceId })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function lockPaymentByExternalId(tx: Db, actor: Actor, externalId: string): Promise<PaymentRow | undefined> {
  authorizeBillingRead(actor, 'payment');
  return tx
    .selectFrom('billing_payments')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}

export async function selectPaymentByExternalId(db: Db, actor: Actor, externalId: string): Promise<PaymentRow | undefined> {
  authorizeBillingRead(actor, 'payment');
  return db
    .selectFrom('billing_payments')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function selectPayment(db: Db, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<PaymentRow | undefined> {
  authorizeBillingRead(actor, 'payment');
  let query = db.selectFrom('billing_payments').selectAll().where('workspace_id', '=', actor.workspaceId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type PaymentPatch = Partial<Omit<PaymentValues, 'external_id' | 'account_id'>>;

export async function updatePaymentRow(tx: Db, actor: Actor, id: string, patch: PaymentPatch): Promise<boolean> {
  authorizeBillingWrite(actor, 'payment');
  const result = await tx
    .updateTable('billing_payments')
    .set({ ...patch, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The disputed flag alone: agents entering a dispute (dispute.write) may set it. */
export async function updatePaymentDisputed(tx: Db, actor: Actor, id: string, disputed: boolean): Promise<boolean> {
  if (!can(actor, 'dispute.write', billingOf(actor, 'payment'))) authorizeBillingWrite(actor, 'payment');
  const result = await tx
    .updateTable('billing_payments')
    .set({ disputed, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
