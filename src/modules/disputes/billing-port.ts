import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import {
  getCustomerBillingState,
  getPayment,
  listBillingAccountsOfCustomer,
  setPaymentDisputed,
  type BillingStateView,
} from '../billing/service.js';

/**
 * What the disputes module needs from billing (BILLING.md part A, billing/service.ts), in one
 * place so the rest of the module does not depend on billing's row shapes.
 */
export interface PaymentFacts {
  id: string;
  accountId: string;
  invoiceId: string | null;
  amountMinor: number;
  currency: string;
  status: string;
  methodSummary: string | null;
  disputed: boolean;
  paidAt: Date | null;
  externalId: string | null;
}

const isNotFound = (error: unknown) => error instanceof AppError && error.kind === 'not_found';

/** The payment, or null when billing does not know it (or it is of another workspace). */
export async function paymentFacts(db: Db, actor: Actor, paymentId: string): Promise<PaymentFacts | null> {
  try {
    const row = await getPayment(db, actor, paymentId);
    return {
      id: row.id,
      accountId: row.account_id,
      invoiceId: row.invoice_id,
      amountMinor: row.amount_minor,
      currency: row.currency,
      status: row.status,
      methodSummary: row.method_summary,
      disputed: row.disputed,
      paidAt: row.paid_at,
      externalId: row.external_id,
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Marks the payment disputed; a payment billing does not know is left alone (the dispute keeps the id). */
export async function markPaymentDisputed(tx: Db, actor: Actor, paymentId: string, disputed: boolean): Promise<void> {
  try {
    await setPaymentDisputed(tx, actor, paymentId, disputed);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Ids of the customer's billing accounts (a payment named in a manual dispute must be one of theirs). */
export async function accountIdsOfCustomer(db: Db, actor: Actor, customerId: string): Promise<Set<string>> {
  return new Set((await listBillingAccountsOfCustomer(db, actor, customerId)).map((a) => a.id));
}

export type CustomerBillingRecords = Pick<BillingStateView, 'invoices' | 'payments' | 'subscriptions'>;

/** The customer's recent invoices (with lines), payments and subscriptions, as billing shows them. */
export async function customerBillingRecords(db: Db, actor: Actor, customerId: string): Promise<CustomerBillingRecords> {
  const state = await getCustomerBillingState(db, actor, customerId);
  return { invoices: state.invoices, payments: state.payments, subscriptions: state.subscriptions };
}
