import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { getCustomer } from '../../customers/service.js';
import { countOpenDisputesOfCustomer } from '../../disputes/service.js';
import { authorizeBillingRead } from '../records/access.js';
import { selectAccountsOfCustomers } from '../records/accounts-store.js';
import { selectLinesOfInvoices } from '../records/invoices-store.js';
import {
  selectCreditsOfAccounts,
  selectInvoicesOfAccounts,
  selectPaymentsOfAccounts,
  selectRefundsOfAccounts,
  selectSubscriptionsOfAccounts,
  sumOpenBalance,
} from './state-store.js';
import {
  accountView,
  creditView,
  invoiceView,
  paymentView,
  refundView,
  subscriptionView,
  type BillingStateView,
  type MoneyView,
} from './views.js';
import type { InvoiceLineRow } from '../records/rows.js';

/** Each list of the billing state shows the customer's most recent rows. */
export const STATE_LIST_LIMIT = 20;

/**
 * Billing state beside a conversation: a summary (open balance and credit per currency, the last
 * failed payment, open disputes) and the customer's recent accounts, subscriptions, invoices
 * with their lines, payments (refunded and refundable amounts), refunds and credits.
 * A customer of another workspace is `customer.not_found`.
 */
export async function getCustomerBillingState(db: Db, actor: Actor, customerId: string): Promise<BillingStateView> {
  authorizeBillingRead(actor);
  await getCustomer(db, actor, customerId);
  const accounts = await selectAccountsOfCustomers(db, actor, [customerId]);
  const accountIds = accounts.map((a) => a.id);
  const subscriptions = await selectSubscriptionsOfAccounts(db, actor, accountIds, STATE_LIST_LIMIT);
  const invoices = await selectInvoicesOfAccounts(db, actor, accountIds, STATE_LIST_LIMIT);
  const lines = await selectLinesOfInvoices(
    db,
    actor,
    invoices.map((i) => i.id),
  );
  const payments = await selectPaymentsOfAccounts(db, actor, accountIds, { limit: STATE_LIST_LIMIT });
  const [lastFailed] = await selectPaymentsOfAccounts(db, actor, accountIds, { limit: 1, status: 'failed' });
  const refunds = await selectRefundsOfAccounts(db, actor, accountIds, STATE_LIST_LIMIT);
  const credits = await selectCreditsOfAccounts(db, actor, accountIds, STATE_LIST_LIMIT);
  const openBalance = await sumOpenBalance(db, actor, accountIds);
  const openDisputes = await countOpenDisputesOfCustomer(db, actor, customerId);

  const linesByInvoice = new Map<string, InvoiceLineRow[]>();
  for (const line of lines) {
    const list = linesByInvoice.get(line.invoice_id) ?? [];
    list.push(line);
    linesByInvoice.set(line.invoice_id, list);
  }
  const creditByCurrency = new Map<string, number>();
  for (const account of accounts) {
    if (account.credit_balance_minor > 0) {
      creditByCurrency.set(account.currency, (creditByCurrency.get(account.currency) ?? 0) + account.credit_balance_minor);
    }
  }
  const creditBalance: MoneyView[] = [...creditByCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount_minor]) => ({ currency, amount_minor }));

  return {
    summary: {
      open_balance: openBalance,
      credit_balance: creditBalance,
      last_failed_payment: lastFailed ? paymentView(lastFailed) : null,
      open_disputes: openDisputes,
    },
    accounts: accounts.slice(0, STATE_LIST_LIMIT).map(accountView),
    subscriptions: subscriptions.map(subscriptionView),
    invoices: invoices.map((invoice) => invoiceView(invoice, linesByInvoice.get(invoice.id) ?? [])),
    payments: payments.map(paymentView),
    refunds: refunds.map(refundView),
    credits: credits.map(creditView),
  };
}
