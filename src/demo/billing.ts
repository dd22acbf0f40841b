import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import {
  upsertBillingAccount,
  upsertInvoice,
  upsertPayment,
  upsertRefund,
  upsertSubscription,
  type InvoiceLineInput,
} from '../modules/billing/service.js';
import type { SystemActor } from '../platform/actor.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

interface DemoCustomerBilling {
  customerId: string;
  currency: 'EUR' | 'USD';
  plan?: { name: string; priceMinor: number; interval: 'month' | 'year'; status: 'active' | 'past_due' };
  card: string;
  /** Paid periods, oldest first (days ago of each invoice). */
  paidInvoiceDays: number[];
  refundMinor?: number;
  /** An open invoice (with a late fee when `lateFeeMinor`) and its failed payment. */
  failed?: { lateFeeMinor: number };
  openInvoice?: { description: string; amountMinor: number };
}

/**
 * Demo billing beside the demo conversations, written through the billing records functions:
 * EUR and USD accounts, an active and a past-due subscription, paid and open invoices (one with a
 * late fee), card payments, one failed payment on a customer with an open billing case, and one
 * partial refund. Runs in one transaction to stay fast.
 */
export async function seedDemoBilling(db: Db, system: SystemActor, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  const withOpenCase = await customerWithOpenBillingCase(db, system.workspaceId);
  const failing = withOpenCase ?? customerIds[0]!;
  const others = customerIds.filter((id) => id !== failing);
  const plans: DemoCustomerBilling[] = [
    {
      customerId: failing,
      currency: 'EUR',
      plan: { name: 'Team, monthly', priceMinor: 9900, interval: 'month', status: 'past_due' },
      card: 'Mastercard •••• 5454',
      paidInvoiceDays: [62, 32],
      failed: { lateFeeMinor: 500 },
    },
    {
      customerId: others[0] ?? failing,
      currency: 'EUR',
      plan: { name: 'Pro, monthly', priceMinor: 4900, interval: 'month', status: 'active' },
      card: 'Visa •••• 4242',
      paidInvoiceDays: [65, 35, 5],
      refundMinor: 1000,
    },
    {
      customerId: others[1] ?? failing,
      currency: 'USD',
      plan: { name: 'Starter, yearly', priceMinor: 12000, interval: 'year', status: 'active' },
      card: 'American Express •••• 0005',
      paidInvoiceDays: [40],
    },
    {
      customerId: others[2] ?? failing,
      currency: 'USD',
      card: 'Visa •••• 1881',
      paidInvoiceDays: [20],
      openInvoice: { description: 'Onboarding workshop', amountMinor: 2900 },
    },
  ];
  const unique = new Map(plans.map((p) => [p.customerId, p]));
  let invoiceNo = 1000;
  let charge = 1;
  await inTransaction(db, async (tx) => {
    for (const demo of unique.values()) {
      const { id: accountId } = await upsertBillingAccount(tx, system, {
        customerId: demo.customerId,
        source: 'ledger',
        externalId: null,
        currency: demo.currency,
      });
      const subscription = demo.plan
        ? await upsertSubscription(tx, system, {
            accountId,
            externalId: null,
            planName: demo.plan.name,
            status: demo.plan.status,
            priceMinor: demo.plan.priceMinor,
            currency: demo.currency,
            interval: demo.plan.interval,
            currentPeriodEnd: new Date(Date.now() + (demo.plan.interval === 'year' ? 325 : 25) * DAY),
            cancelAtPeriodEnd: false,
            sourceEventAt: null,
          })
        : null;
      const price = demo.plan?.priceMinor ?? 2900;
      const lines: InvoiceLineInput[] = [
        { description: demo.plan?.name ?? 'Service fee', quantity: 1, unitAmountMinor: price, amountMinor: price },
      ];
      let lastPaymentId: string | null = null;
      for (const days of demo.paidInvoiceDays) {
        const invoice = await upsertInvoice(tx, system, {
          accountId,
          subscriptionId: subscription?.id ?? null,
          externalId: null,
          number: `INV-${++invoiceNo}`,
          status: 'paid',
          currency: demo.currency,
          totalMinor: price,
          amountPaidMinor: price,
          issuedAt: daysAgo(days),
          dueAt: daysAgo(days - 14),
          paidAt: daysAgo(days),
          lines,
          sourceEventAt: null,
        });
        const payment = await upsertPayment(tx, system, {
          accountId,
          invoiceId: invoice.id,
          externalId: `demo_ch_${charge++}`,
          amountMinor: price,
          currency: demo.currency,
          status: 'succeeded',
          methodSummary: demo.card,
          paidAt: daysAgo(days),
          sourceEventAt: null,
        });
        lastPaymentId = payment.id;
      }
      if (demo.refundMinor && lastPaymentId) {
        await upsertRefund(tx, system, {
          paymentId: lastPaymentId,
          externalId: null,
          amountMinor: demo.refundMinor,
          currency: demo.currency,
          status: 'succeeded',
          reason: 'Goodwill: two days of downtime',
          sourceEventAt: null,
        });
      }
      if (demo.failed) {
        const fee = demo.failed.lateFeeMinor;
        const invoice = await upsertInvoice(tx, system, {
          accountId,
          subscriptionId: subscription?.id ?? null,
          externalId: null,
          number: `INV-${++invoiceNo}`,
          status: 'open',
          currency: demo.currency,
          totalMinor: price + fee,
          amountPaidMinor: 0,
          issuedAt: daysAgo(4),
          dueAt: daysAgo(1),
          paidAt: null,
          lines: [...lines, { description: 'Late payment fee', quantity: 1, unitAmountMinor: fee, amountMinor: fee, isFee: true }],
          sourceEventAt: null,
        });
        await upsertPayment(tx, system, {
          accountId,
          invoiceId: invoice.id,
          externalId: `demo_ch_${charge++}`,
          amountMinor: price,
          currency: demo.currency,
          status: 'failed',
          methodSummary: demo.card,
          failureCode: 'card_declined',
          failureMessage: 'insufficient_funds: Your card has insufficient funds.',
          paidAt: daysAgo(2),
          sourceEventAt: null,
        });
      }
      if (demo.openInvoice) {
        const amount = demo.openInvoice.amountMinor;
        await upsertInvoice(tx, system, {
          accountId,
          externalId: null,
          number: `INV-${++invoiceNo}`,
          status: 'open',
          currency: demo.currency,
          totalMinor: amount,
          amountPaidMinor: 0,
          issuedAt: daysAgo(3),
          dueAt: daysAgo(-11),
          paidAt: null,
          lines: [{ description: demo.openInvoice.description, quantity: 1, unitAmountMinor: amount, amountMinor: amount }],
          sourceEventAt: null,
        });
      }
    }
  });
}

/** Demo-only read (like seed.ts's): the customer of the newest unsolved billing or payment case. */
async function customerWithOpenBillingCase(db: Db, workspaceId: string): Promise<string | null> {
  const row = await sql<{ customer_id: string }>`
    select customer_id from cases
    where workspace_id = ${workspaceId} and category in ('payment', 'billing') and status in ('new', 'open', 'pending', 'on_hold')
    order by created_at desc limit 1`.execute(db);
  return row.rows[0]?.customer_id ?? null;
}
