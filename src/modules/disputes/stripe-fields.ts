import type { DisputeReason, EvidenceKind } from './schema.js';
import { KIND_LABELS } from './requirements.js';

/**
 * Evidence items as Stripe's dispute evidence text fields. Stripe's receipt, customer
 * communication, refund policy, service and shipping documentation fields take uploaded files, so
 * their text goes into `uncategorized_text` under a heading, and the policies into their
 * `*_disclosure` text fields; the whole packet PDF is uploaded as the `uncategorized_file` (the
 * connector adds it). Stripe caps all text fields
 * together at 150,000 characters.
 */
export const STRIPE_TEXT_LIMIT = 150_000;
const FIELD_LIMIT = 20_000;

export interface FieldSource {
  reason: DisputeReason;
  customerName: string;
  customerEmail: string | null;
  items: { kind: EvidenceKind; title: string; body: string }[];
}

const join = (bodies: string[]) =>
  bodies
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
    .join('\n\n');
const cap = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 20)}\n[… shortened]` : text);

export function stripeEvidenceFields(source: FieldSource): Record<string, string> {
  const byKind = new Map<EvidenceKind, { title: string; body: string }[]>();
  for (const item of source.items) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
  const bodies = (kind: EvidenceKind) => (byKind.get(kind) ?? []).map((i) => i.body);

  const fields: Record<string, string> = {};
  const put = (field: string, text: string) => {
    if (text.trim().length > 0) fields[field] = cap(text, FIELD_LIMIT);
  };
  put('customer_name', source.customerName);
  if (source.customerEmail) put('customer_email_address', source.customerEmail);
  put('refund_policy_disclosure', join(bodies('refund_policy')));
  put('cancellation_policy_disclosure', join(bodies('cancellation_policy')));
  put('product_description', join(bodies('service_documentation')));
  if (source.reason === 'duplicate') put('duplicate_charge_explanation', join(bodies('prior_undisputed_payments')));

  const inText: EvidenceKind[] = ['receipt', 'customer_communication', 'shipping_documentation', 'customer_details', 'uncategorized'];
  if (source.reason !== 'duplicate') inText.push('prior_undisputed_payments');
  const sections: string[] = [];
  for (const kind of inText) {
    for (const item of byKind.get(kind) ?? []) {
      if (item.body.trim().length > 0) sections.push(`== ${KIND_LABELS[kind]}: ${item.title} ==\n${item.body.trim()}`);
    }
  }
  const used = Object.values(fields).reduce((n, v) => n + v.length, 0);
  if (sections.length > 0) fields.uncategorized_text = cap(sections.join('\n\n'), Math.max(1000, STRIPE_TEXT_LIMIT - used));
  return fields;
}
