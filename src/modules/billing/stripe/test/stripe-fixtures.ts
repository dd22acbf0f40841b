import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test events built from real Stripe object shapes (fixtures/stripe-objects.json, Stripe's public
 * OpenAPI fixtures): each builder sets ids, amounts, statuses and the event envelope.
 */
const OBJECTS = JSON.parse(
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'stripe-objects.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;

const clone = <T>(value: T): T => structuredClone(value);
export const stripeId = (prefix: string) => `${prefix}_${crypto.randomBytes(8).toString('hex')}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

type Obj = Record<string, unknown>;

function merge(base: Obj, overrides: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? merge(current as Obj, value as Obj)
        : value;
  }
  return out;
}

export function stripeObject(
  kind: 'charge' | 'invoice' | 'subscription' | 'dispute' | 'refund' | 'customer' | 'file',
  overrides: Obj = {},
): Obj {
  return merge(clone(OBJECTS[kind]!), overrides);
}

export function stripeEvent(type: string, object: Obj, options: { id?: string; created?: number; apiVersion?: string } = {}): Obj {
  return merge(clone(OBJECTS.event!), {
    id: options.id ?? stripeId('evt'),
    type,
    created: options.created ?? nowSeconds(),
    api_version: options.apiVersion ?? '2026-10-28.endive',
    data: { object },
  });
}

export function chargeObject(input: {
  id?: string;
  customer?: string | null;
  email?: string | null;
  amount?: number;
  currency?: string;
  status?: 'succeeded' | 'failed' | 'pending';
  failureCode?: string | null;
  failureMessage?: string | null;
  amountRefunded?: number;
  refunds?: Obj[] | null;
  created?: number;
}): Obj {
  const charge = stripeObject('charge', {
    id: input.id ?? stripeId('ch'),
    amount: input.amount ?? 4990,
    amount_captured: input.status === 'succeeded' ? (input.amount ?? 4990) : 0,
    amount_refunded: input.amountRefunded ?? 0,
    refunded: (input.amountRefunded ?? 0) >= (input.amount ?? 4990),
    currency: input.currency ?? 'eur',
    customer: input.customer ?? null,
    billing_details: { email: input.email ?? null, name: 'Jenny Rosen' },
    status: input.status ?? 'succeeded',
    paid: (input.status ?? 'succeeded') === 'succeeded',
    captured: (input.status ?? 'succeeded') === 'succeeded',
    failure_code: input.failureCode ?? null,
    failure_message: input.failureMessage ?? null,
    created: input.created ?? nowSeconds(),
    payment_intent: stripeId('pi'),
  });
  // Newer API versions no longer embed the refunds list.
  if (input.refunds === null) delete charge.refunds;
  else if (input.refunds)
    charge.refunds = { object: 'list', data: input.refunds, has_more: false, url: `/v1/charges/${String(charge.id)}/refunds` };
  return charge;
}

export function refundObject(input: {
  id?: string;
  charge: string;
  amount: number;
  currency?: string;
  status?: string;
  batonRefundId?: string;
}): Obj {
  return stripeObject('refund', {
    id: input.id ?? stripeId('re'),
    charge: input.charge,
    amount: input.amount,
    currency: input.currency ?? 'eur',
    status: input.status ?? 'succeeded',
    metadata: input.batonRefundId ? { baton_refund_id: input.batonRefundId } : {},
  });
}

export function invoiceObject(input: {
  id?: string;
  customer: string;
  email?: string | null;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  total?: number;
  amountPaid?: number;
  currency?: string;
  number?: string;
  charge?: string;
}): Obj {
  const total = input.total ?? 2000;
  const paid = input.amountPaid ?? (input.status === 'paid' ? total : 0);
  const invoice = stripeObject('invoice', {
    id: input.id ?? stripeId('in'),
    customer: input.customer,
    customer_email: input.email ?? null,
    customer_name: 'Jenny Rosen',
    status: input.status,
    number: input.number ?? `INV-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    currency: input.currency ?? 'eur',
    total,
    subtotal: total,
    amount_due: total,
    amount_paid: paid,
    amount_remaining: total - paid,
    created: nowSeconds() - 3600,
    due_date: nowSeconds() + 14 * 86400,
    status_transitions: { finalized_at: nowSeconds() - 3600, paid_at: input.status === 'paid' ? nowSeconds() : null },
  });
  const lines = (invoice.lines as { data: Obj[] }).data;
  lines[0] = {
    ...lines[0],
    amount: total,
    quantity: 1,
    description: 'Pro plan (monthly)',
    pricing: { type: 'price_details', unit_amount_decimal: String(total) },
  };
  if (input.charge) invoice.charge = input.charge;
  return invoice;
}

export function subscriptionObject(input: {
  id?: string;
  customer: string;
  status: string;
  unitAmount?: number;
  nickname?: string;
  cancelAtPeriodEnd?: boolean;
}): Obj {
  const subscription = stripeObject('subscription', {
    id: input.id ?? stripeId('sub'),
    customer: input.customer,
    status: input.status,
    currency: 'eur',
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
  });
  const items = (subscription.items as { data: Obj[] }).data;
  const periodEnd = nowSeconds() + 30 * 86400;
  items[0] = merge(items[0]!, {
    quantity: 1,
    current_period_end: periodEnd,
    price: {
      nickname: input.nickname ?? 'Pro monthly',
      unit_amount: input.unitAmount ?? 2000,
      currency: 'eur',
      recurring: { interval: 'month' },
    },
  });
  return subscription;
}

export function disputeObject(input: {
  id?: string;
  charge: string;
  amount?: number;
  status: string;
  reason?: string;
  dueBy?: number;
  balanceTransactions?: Obj[];
}): Obj {
  return stripeObject('dispute', {
    id: input.id ?? stripeId('dp'),
    charge: input.charge,
    amount: input.amount ?? 4990,
    currency: 'eur',
    status: input.status,
    reason: input.reason ?? 'fraudulent',
    evidence_details: { due_by: input.dueBy ?? nowSeconds() + 7 * 86400 },
    balance_transactions: input.balanceTransactions ?? [],
  });
}
