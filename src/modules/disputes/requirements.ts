import type { DisputeReason, EvidenceKind } from './schema.js';

/**
 * What evidence each dispute reason calls for, after Stripe's guidance per reason
 * (docs.stripe.com/disputes/reason-codes-defense-requirements). `required` marks what the card
 * network expects for the defense to stand; the rest strengthens it.
 */
export interface EvidenceRequirement {
  kind: EvidenceKind;
  label: string;
  required: boolean;
}

export const REASON_LABELS: Record<DisputeReason, string> = {
  bank_cannot_process: 'bank cannot process',
  check_returned: 'check returned',
  credit_not_processed: 'credit not processed',
  customer_initiated: 'customer initiated',
  debit_not_authorized: 'debit not authorized',
  duplicate: 'duplicate charge',
  fraudulent: 'fraudulent',
  general: 'general',
  incorrect_account_details: 'incorrect account details',
  insufficient_funds: 'insufficient funds',
  noncompliant: 'noncompliant',
  product_not_received: 'product not received',
  product_unacceptable: 'product unacceptable',
  subscription_canceled: 'subscription canceled',
  unrecognized: 'unrecognized',
};

export const KIND_LABELS: Record<EvidenceKind, string> = {
  receipt: 'Receipt or invoice',
  customer_communication: 'Communication with the customer',
  refund_policy: 'Refund policy',
  cancellation_policy: 'Cancellation policy',
  service_documentation: 'Proof of service',
  shipping_documentation: 'Proof of delivery',
  prior_undisputed_payments: 'Prior undisputed payments',
  customer_details: 'Customer details',
  uncategorized: 'Other evidence',
};

const need = (kind: EvidenceKind, required = true, label = KIND_LABELS[kind]): EvidenceRequirement => ({ kind, label, required });

const GENERAL: EvidenceRequirement[] = [
  need('receipt'),
  need('customer_communication'),
  need('customer_details', false),
  need('refund_policy', false),
];
const FRAUD: EvidenceRequirement[] = [
  need('receipt'),
  need('customer_details'),
  need('prior_undisputed_payments'),
  need('customer_communication', false),
];

const BY_REASON: Partial<Record<DisputeReason, EvidenceRequirement[]>> = {
  product_not_received: [
    need('receipt'),
    need('shipping_documentation', true, 'Proof of delivery or of the service provided'),
    need('customer_communication'),
    need('customer_details', false),
  ],
  product_unacceptable: [
    need('receipt'),
    need('service_documentation', true, 'Product or service description as sold'),
    need('refund_policy'),
    need('customer_communication'),
  ],
  subscription_canceled: [
    need('cancellation_policy'),
    need('customer_communication'),
    need('receipt'),
    need('prior_undisputed_payments', false),
    need('customer_details', false),
  ],
  credit_not_processed: [need('refund_policy'), need('customer_communication'), need('receipt'), need('customer_details', false)],
  duplicate: [
    need('receipt'),
    need('prior_undisputed_payments', true, 'The other payment and why it is not a duplicate'),
    need('customer_communication', false),
  ],
  fraudulent: FRAUD,
  unrecognized: FRAUD,
  debit_not_authorized: FRAUD,
  customer_initiated: FRAUD,
  general: GENERAL,
};

/**
 * When the packet already has shipping proof for a "product not received" (or service proof), either
 * satisfies the delivery requirement: a SaaS subscription has no parcel to track.
 */
const SATISFIED_BY: Partial<Record<EvidenceKind, EvidenceKind[]>> = {
  shipping_documentation: ['shipping_documentation', 'service_documentation'],
  service_documentation: ['service_documentation', 'shipping_documentation'],
};

export function requirementsFor(reason: DisputeReason): EvidenceRequirement[] {
  return BY_REASON[reason] ?? GENERAL;
}

export interface RequirementView extends EvidenceRequirement {
  satisfied: boolean;
}

/** The reason's requirements, each satisfied when an included item of a matching kind has content. */
export function requirementsView(
  reason: DisputeReason,
  items: { kind: EvidenceKind; included: boolean; body: string }[],
): RequirementView[] {
  const present = new Set(items.filter((i) => i.included && i.body.trim().length > 0).map((i) => i.kind));
  return requirementsFor(reason).map((r) => ({
    ...r,
    satisfied: (SATISFIED_BY[r.kind] ?? [r.kind]).some((k) => present.has(k)),
  }));
}

export const reasonLabel = (reason: DisputeReason): string => REASON_LABELS[reason];
