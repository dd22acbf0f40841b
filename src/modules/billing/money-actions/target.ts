import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError, unprocessable, validationError } from '../../../platform/errors.js';
import { formatMoney } from '../money.js';
import type { MoneyActionKind } from '../schema.js';
import { selectAccount, selectAccountsOfCustomerInCurrency, selectInvoice, selectPayment, selectWaivableFees } from './billing-store.js';
import { isUuid } from './store.js';

/**
 * What a money action acts on, checked against the billing state: the payment, invoice or account
 * must belong to the case's customer, be in the action's currency, and cover the amount. Run when
 * the action is requested and again when it is approved (the state may have moved meanwhile).
 */
export interface MoneyActionTargetInput {
  kind: MoneyActionKind;
  amountMinor: number;
  currency: string;
  paymentId?: string | null | undefined;
  invoiceId?: string | null | undefined;
  accountId?: string | null | undefined;
}

export interface MoneyActionTarget {
  accountId: string;
  paymentId: string | null;
  invoiceId: string | null;
}

const billingNotFound = (what: 'payment' | 'invoice' | 'account') =>
  new AppError('not_found', `billing.${what}_not_found`, `This ${what} does not exist or you may not see it`);

function notOfCustomer(what: 'payment' | 'invoice' | 'account') {
  return unprocessable(`billing.${what}_not_of_customer`, `This ${what} belongs to another customer than the case's`, {
    field: `${what}_id`,
  });
}

function currencyMismatch(what: 'payment' | 'invoice' | 'account', expected: string, given: string) {
  return unprocessable('billing.currency_mismatch', `The ${what} is in ${expected}, not ${given}`, {
    field: 'currency',
    expected,
    currency: given,
  });
}

/** Refunds name a payment, fee waivers an invoice, credits (optionally) an account; nothing else. */
function assertFieldsOfKind(input: MoneyActionTargetInput): void {
  const allowed: Record<MoneyActionKind, ('payment_id' | 'invoice_id' | 'account_id')[]> = {
    refund: ['payment_id'],
    fee_waiver: ['invoice_id'],
    credit: ['account_id'],
  };
  const given = { payment_id: input.paymentId, invoice_id: input.invoiceId, account_id: input.accountId };
  for (const field of ['payment_id', 'invoice_id', 'account_id'] as const) {
    if (given[field] != null && !allowed[input.kind].includes(field)) {
      throw validationError('billing.field_not_allowed', `A ${input.kind.replace('_', ' ')} does not take ${field}`, { field });
    }
  }
  if (input.kind === 'refund' && input.paymentId == null) {
    throw validationError('billing.payment_required', 'A refund names the payment it refunds (payment_id)', { field: 'payment_id' });
  }
  if (input.kind === 'fee_waiver' && input.invoiceId == null) {
    throw validationError('billing.invoice_required', 'A fee waiver names the invoice whose fee it waives (invoice_id)', {
      field: 'invoice_id',
    });
  }
}

export async function resolveMoneyActionTarget(
  db: Db,
  actor: Actor,
  customerId: string,
  input: MoneyActionTargetInput,
): Promise<MoneyActionTarget> {
  assertFieldsOfKind(input);
  switch (input.kind) {
    case 'refund':
      return refundTarget(db, actor, customerId, input, input.paymentId!);
    case 'fee_waiver':
      return feeWaiverTarget(db, actor, customerId, input, input.invoiceId!);
    case 'credit':
      return creditTarget(db, actor, customerId, input);
  }
}

async function refundTarget(
  db: Db,
  actor: Actor,
  customerId: string,
  input: MoneyActionTargetInput,
  paymentId: string,
): Promise<MoneyActionTarget> {
  const payment = isUuid(paymentId) ? await selectPayment(db, actor, paymentId) : undefined;
  if (!payment) throw billingNotFound('payment');
  if (payment.customer_id !== customerId) throw notOfCustomer('payment');
  if (payment.currency !== input.currency) throw currencyMismatch('payment', payment.currency, input.currency);
  if (payment.status !== 'succeeded') {
    throw unprocessable('billing.payment_not_refundable', `Only a succeeded payment can be refunded; this one is ${payment.status}`, {
      field: 'payment_id',
      status: payment.status,
    });
  }
  if (payment.disputed) {
    throw unprocessable('billing.payment_disputed', 'This payment is disputed: answer the dispute instead of refunding it', {
      field: 'payment_id',
    });
  }
  const refundable = Number(payment.amount_minor) - Number(payment.refunded_minor);
  if (input.amountMinor > refundable) throw refundExceedsPayment(refundable, input.currency);
  return { accountId: payment.account_id, paymentId: payment.id, invoiceId: null };
}

export function refundExceedsPayment(refundableMinor: number | null, currency: string): AppError {
  return unprocessable(
    'billing.refund_exceeds_payment',
    refundableMinor === null
      ? 'The refunds of this payment would exceed what was paid'
      : `At most ${formatMoney(refundableMinor, currency)} of this payment can still be refunded`,
    { field: 'amount_minor', ...(refundableMinor === null ? {} : { refundable_minor: refundableMinor }) },
  );
}

async function feeWaiverTarget(
  db: Db,
  actor: Actor,
  customerId: string,
  input: MoneyActionTargetInput,
  invoiceId: string,
): Promise<MoneyActionTarget> {
  // Locked, so two waivers of one invoice check and lower the amount due one after the other.
  const invoice = isUuid(invoiceId) ? await selectInvoice(db, actor, invoiceId, { forUpdate: db.isTransaction }) : undefined;
  if (!invoice) throw billingNotFound('invoice');
  if (invoice.customer_id !== customerId) throw notOfCustomer('invoice');
  if (invoice.currency !== input.currency) throw currencyMismatch('invoice', invoice.currency, input.currency);
  const due = Number(invoice.amount_due_minor);
  if (invoice.status === 'void' || input.amountMinor > due) {
    throw unprocessable(
      'billing.waiver_exceeds_amount_due',
      `At most ${formatMoney(invoice.status === 'void' ? 0 : due, input.currency)} of this invoice is still due`,
      {
        field: 'amount_minor',
        amount_due_minor: invoice.status === 'void' ? 0 : due,
      },
    );
  }
  const fees = await selectWaivableFees(db, actor, invoice.id);
  if (fees && input.amountMinor > fees.fees - fees.waived) {
    const left = Math.max(0, fees.fees - fees.waived);
    throw unprocessable(
      'billing.waiver_exceeds_fees',
      `At most ${formatMoney(left, input.currency)} of this invoice's fees is not waived yet`,
      {
        field: 'amount_minor',
        waivable_minor: left,
      },
    );
  }
  return { accountId: invoice.account_id, paymentId: null, invoiceId: invoice.id };
}

async function creditTarget(db: Db, actor: Actor, customerId: string, input: MoneyActionTargetInput): Promise<MoneyActionTarget> {
  if (input.accountId != null) {
    const account = isUuid(input.accountId) ? await selectAccount(db, actor, input.accountId) : undefined;
    if (!account) throw billingNotFound('account');
    if (account.customer_id !== customerId) throw notOfCustomer('account');
    if (account.currency !== input.currency) throw currencyMismatch('account', account.currency, input.currency);
    return { accountId: account.id, paymentId: null, invoiceId: null };
  }
  const accounts = await selectAccountsOfCustomerInCurrency(db, actor, customerId, input.currency);
  if (accounts.length === 0) {
    throw unprocessable('billing.no_account_in_currency', `This customer has no billing account in ${input.currency}`, {
      field: 'currency',
    });
  }
  if (accounts.length > 1) {
    throw unprocessable('billing.account_required', `This customer has several accounts in ${input.currency}: name one (account_id)`, {
      field: 'account_id',
    });
  }
  return { accountId: accounts[0]!.id, paymentId: null, invoiceId: null };
}
