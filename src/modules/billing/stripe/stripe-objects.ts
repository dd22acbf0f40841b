/**
 * The fields of Stripe objects the webhook reads, typed loosely on purpose: events arrive in the
 * API version of the Stripe account's endpoint (older ones embed `charge.refunds`, `invoice.charge`,
 * `subscription.current_period_end`; newer ones do not), so every field is optional and checked.
 */
export type Expandable = string | { id?: string } | null | undefined;

export interface StripeCardDetails {
  brand?: string | null;
  last4?: string | null;
  wallet?: { type?: string | null } | null;
}

export interface StripeChargeObject {
  id: string;
  object?: string;
  amount?: number;
  amount_refunded?: number;
  currency?: string;
  created?: number;
  status?: string;
  customer?: Expandable;
  invoice?: Expandable;
  payment_intent?: Expandable;
  receipt_email?: string | null;
  billing_details?: { email?: string | null; name?: string | null } | null;
  failure_code?: string | null;
  failure_message?: string | null;
  payment_method_details?: {
    type?: string;
    card?: StripeCardDetails | null;
    sepa_debit?: { last4?: string | null } | null;
    us_bank_account?: { bank_name?: string | null; last4?: string | null } | null;
    [type: string]: unknown;
  } | null;
  refunds?: { data?: StripeRefundObject[] } | null;
}

export interface StripeRefundObject {
  id: string;
  amount?: number;
  currency?: string;
  charge?: Expandable;
  status?: string | null;
  reason?: string | null;
  /** Why a refund failed (`expired_or_canceled_card`, `lost_or_stolen_card`, ...). */
  failure_reason?: string | null;
  created?: number;
  metadata?: Record<string, string> | null;
}

export interface StripeInvoiceObject {
  id: string;
  number?: string | null;
  status?: string | null;
  currency?: string;
  customer?: Expandable;
  customer_email?: string | null;
  customer_name?: string | null;
  total?: number;
  amount_due?: number;
  amount_paid?: number;
  amount_remaining?: number;
  created?: number;
  due_date?: number | null;
  charge?: Expandable;
  status_transitions?: { finalized_at?: number | null; paid_at?: number | null } | null;
  lines?: {
    data?: {
      description?: string | null;
      quantity?: number | null;
      amount?: number;
      price?: { unit_amount?: number | null } | null;
      pricing?: { unit_amount_decimal?: string | null } | null;
    }[];
  } | null;
}

export interface StripePrice {
  id?: string;
  nickname?: string | null;
  unit_amount?: number | null;
  currency?: string;
  recurring?: { interval?: string | null; interval_count?: number | null } | null;
  product?: string | { id?: string; name?: string | null } | null;
}

export interface StripeSubscriptionObject {
  id: string;
  status?: string;
  customer?: Expandable;
  currency?: string;
  cancel_at_period_end?: boolean;
  current_period_end?: number | null;
  items?: {
    data?: {
      quantity?: number | null;
      current_period_end?: number | null;
      price?: StripePrice | null;
      plan?: { nickname?: string | null; amount?: number | null; interval?: string | null } | null;
    }[];
  } | null;
}

export interface StripeDisputeObject {
  id: string;
  amount?: number;
  currency?: string;
  charge?: Expandable;
  created?: number;
  reason?: string;
  status?: string;
  network_reason_code?: string | null;
  evidence_details?: { due_by?: number | null } | null;
  payment_method_details?: { card?: { network_reason_code?: string | null } | null } | null;
  balance_transactions?: { amount?: number }[] | null;
}

export function idOf(value: Expandable): string | null {
  if (typeof value === 'string') return value || null;
  if (value && typeof value === 'object' && typeof value.id === 'string') return value.id || null;
  return null;
}

export const dateOf = (seconds: number | null | undefined): Date | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;

const BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  diners_club: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos',
  interac: 'Interac',
};
const WALLETS: Record<string, string> = { apple_pay: 'Apple Pay', google_pay: 'Google Pay', samsung_pay: 'Samsung Pay', link: 'Link' };

const humanize = (value: string) => value.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

/** "Visa •••• 4242": a brand and the last four digits, never more of the card. */
export function methodSummaryOf(charge: StripeChargeObject): string | null {
  const details = charge.payment_method_details;
  if (!details) return null;
  const card = details.card;
  if (card) {
    const brand = card.brand ? (BRANDS[card.brand] ?? humanize(card.brand)) : 'Card';
    const wallet = card.wallet?.type && WALLETS[card.wallet.type] && card.wallet.type !== 'link' ? ` (${WALLETS[card.wallet.type]})` : '';
    return card.last4 && /^\d{4}$/.test(card.last4) ? `${brand} •••• ${card.last4}${wallet}` : `${brand}${wallet}`;
  }
  if (details.sepa_debit?.last4) return `SEPA Direct Debit •••• ${details.sepa_debit.last4}`;
  if (details.us_bank_account?.last4) return `${details.us_bank_account.bank_name ?? 'Bank account'} •••• ${details.us_bank_account.last4}`;
  return details.type ? humanize(details.type) : null;
}
