import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { formatMoney } from '../billing/money.js';
import { listCustomerTimeline, type MessageView } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { customerBillingRecords, type CustomerBillingRecords } from './billing-port.js';
import { deleteUneditedPrefill, insertEvidence, selectEvidence, type NewEvidenceRow } from './evidence-store.js';
import { lockForEvidence } from './evidence.js';
import { requirementsFor } from './requirements.js';
import type { EvidenceKind } from './schema.js';
import { readPolicies } from './settings.js';
import { loadDispute, type DisputeRow } from './store.js';
import { toEvidenceItemView, type EvidenceItemView } from './views.js';

/**
 * Builds evidence items from Baton's own records: the customer's public conversations across
 * channels, invoices and payments, the workspace's policies and the customer's details.
 * A new run replaces the prefilled items the agent did not edit and never touches the agent's.
 */

const MAX_BODY = 200_000;
const TIMELINE_PAGES = 5;

const stamp = (iso: string | Date | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '–');
const clip = (text: string) => (text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 40)}\n[… shortened to fit the packet]` : text);

interface TranscriptMessage {
  caseNumber: number;
  caseSubject: string;
  message: MessageView;
}

/** Public messages on all the customer's cases (any channel), oldest first; notes never leave Baton. */
async function customerTranscript(db: Db, actor: Actor, customerId: string): Promise<TranscriptMessage[]> {
  const found: TranscriptMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < TIMELINE_PAGES; page++) {
    const result = await listCustomerTimeline(db, actor, customerId, { limit: 100, cursor });
    for (const item of result.data) {
      if (item.kind === 'message' && item.message && item.message.visibility === 'public') {
        found.push({ caseNumber: item.case.number, caseSubject: item.case.subject, message: item.message });
      }
    }
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return found.sort((a, b) => a.message.created_at.localeCompare(b.message.created_at));
}

function authorLabel(message: MessageView, customerName: string): string {
  if (message.author_type === 'customer') return `Customer (${message.author?.name || customerName})`;
  if (message.author_type === 'agent') return `Support${message.author?.name ? ` (${message.author.name})` : ''}`;
  return 'Support (automatic)';
}

function transcriptBody(messages: TranscriptMessage[], customerName: string): string {
  const byCase = new Map<number, TranscriptMessage[]>();
  for (const m of messages) byCase.set(m.caseNumber, [...(byCase.get(m.caseNumber) ?? []), m]);
  const blocks: string[] = [];
  for (const [number, list] of byCase) {
    const lines = [`Case #${number}: ${list[0]!.caseSubject}`];
    for (const { message } of list) {
      lines.push(`[${stamp(message.created_at)}] ${authorLabel(message, customerName)} via ${message.channel}:`);
      lines.push(message.body_text.trim(), '');
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}

function receiptBody(dispute: DisputeRow, records: CustomerBillingRecords): { title: string; body: string } | null {
  const payment = records.payments.find((p) => p.id === dispute.payment_id);
  const invoice = records.invoices.find((i) => i.id === payment?.invoice_id) ?? (payment ? undefined : records.invoices[0]);
  if (!payment && !invoice) return null;
  const lines: string[] = [];
  if (invoice) {
    lines.push(`Invoice ${invoice.number ?? invoice.external_id ?? invoice.id} (${invoice.status})`);
    lines.push(`Issued: ${stamp(invoice.issued_at)}${invoice.paid_at ? `; paid: ${stamp(invoice.paid_at)}` : ''}`);
    for (const line of invoice.lines) {
      lines.push(`  ${line.quantity} × ${line.description}: ${formatMoney(line.amount_minor, invoice.currency)}`);
    }
    lines.push(
      `Total: ${formatMoney(invoice.total_minor, invoice.currency)}; paid: ${formatMoney(invoice.amount_paid_minor, invoice.currency)}`,
    );
  }
  if (payment) {
    if (lines.length > 0) lines.push('');
    lines.push(`Payment: ${formatMoney(payment.amount_minor, payment.currency)} on ${stamp(payment.paid_at)} (${payment.status})`);
    if (payment.method_summary) lines.push(`Payment method: ${payment.method_summary}`);
    if (payment.external_id) lines.push(`Processor reference: ${payment.external_id}`);
    if (payment.refunded_minor > 0) lines.push(`Refunded so far: ${formatMoney(payment.refunded_minor, payment.currency)}`);
  }
  const title = invoice ? `Receipt: invoice ${invoice.number ?? invoice.external_id ?? ''}`.trim() : 'Receipt: payment';
  return { title, body: lines.join('\n') };
}

/** Succeeded, undisputed payments made before the disputed one (the customer paid us before, undisputed). */
function priorPaymentsBody(dispute: DisputeRow, records: CustomerBillingRecords): string | null {
  const disputed = records.payments.find((p) => p.id === dispute.payment_id);
  const before = disputed ? new Date(disputed.paid_at).getTime() : dispute.created_at.getTime();
  const prior = records.payments.filter(
    (p) => p.id !== dispute.payment_id && p.status === 'succeeded' && !p.disputed && new Date(p.paid_at).getTime() < before,
  );
  if (prior.length === 0) return null;
  return prior
    .map(
      (p) =>
        `${stamp(p.paid_at)}: ${formatMoney(p.amount_minor, p.currency)}${p.method_summary ? ` (${p.method_summary})` : ''}${p.external_id ? `, ${p.external_id}` : ''}`,
    )
    .join('\n');
}

function subscriptionBody(records: CustomerBillingRecords): string | null {
  if (records.subscriptions.length === 0) return null;
  return records.subscriptions
    .map((s) => {
      const until = s.current_period_end ? `; current period ends ${stamp(s.current_period_end)}` : '';
      const cancel = s.cancel_at_period_end ? '; set to cancel at period end' : '';
      return `${s.plan_name}: ${s.status}, ${formatMoney(s.price_minor, s.currency)} per ${s.interval}${until}${cancel}`;
    })
    .join('\n');
}

async function customerDetailsBody(db: Db, actor: Actor, customerId: string): Promise<{ name: string; body: string }> {
  const customer = await getCustomer(db, actor, customerId);
  const lines = [`Name: ${customer.name}`];
  if (customer.organization) lines.push(`Organization: ${customer.organization}`);
  for (const email of customer.emails) lines.push(`Email: ${email.value}`);
  for (const phone of customer.phones) lines.push(`Phone: ${phone.value}`);
  if (customer.postal_address) {
    const address = Object.values(customer.postal_address).filter((v) => typeof v === 'string' && v.trim() !== '');
    if (address.length > 0) lines.push(`Postal address: ${address.join(', ')}`);
  }
  lines.push(`Customer since: ${stamp(customer.created_at)}`);
  return { name: customer.name, body: lines.join('\n') };
}

interface Draft {
  kind: EvidenceKind;
  title: string;
  body: string;
  included: boolean;
}

async function drafts(db: Db, actor: Actor, dispute: DisputeRow): Promise<Draft[]> {
  const wanted = new Set(requirementsFor(dispute.reason).map((r) => r.kind));
  const [details, transcript, records, policies] = await Promise.all([
    customerDetailsBody(db, actor, dispute.customer_id),
    customerTranscript(db, actor, dispute.customer_id),
    customerBillingRecords(db, actor, dispute.customer_id),
    readPolicies(db, actor.workspaceId),
  ]);
  const list: Draft[] = [];
  const receipt = receiptBody(dispute, records);
  if (receipt) list.push({ kind: 'receipt', title: receipt.title, body: receipt.body, included: true });
  if (transcript.length > 0) {
    list.push({
      kind: 'customer_communication',
      title: `Conversations with the customer (${transcript.length} messages)`,
      body: transcriptBody(transcript, details.name),
      included: true,
    });
  }
  list.push({ kind: 'customer_details', title: 'Customer details', body: details.body, included: true });
  const prior = priorPaymentsBody(dispute, records);
  if (prior) list.push({ kind: 'prior_undisputed_payments', title: 'Prior undisputed payments', body: prior, included: true });
  const subscriptions = subscriptionBody(records);
  if (subscriptions) {
    list.push({
      kind: 'service_documentation',
      title: 'Subscription and service',
      body: subscriptions,
      included: wanted.has('service_documentation') || wanted.has('shipping_documentation'),
    });
  }
  list.push({ kind: 'refund_policy', title: 'Refund policy', body: policies.refundPolicy, included: true });
  list.push({
    kind: 'cancellation_policy',
    title: 'Cancellation policy',
    body: policies.cancellationPolicy,
    included: wanted.has('cancellation_policy'),
  });
  return list.map((d) => ({ ...d, body: clip(d.body) }));
}

export async function prefillEvidence(db: Db, actor: Actor, disputeId: string): Promise<EvidenceItemView[]> {
  const dispute = await loadDispute(db, actor, disputeId, 'dispute.write');
  // Reads first, outside the transaction (the embedded database has one connection).
  const fresh = await drafts(db, actor, dispute);
  return inTransaction(db, async (tx) => {
    await lockForEvidence(tx, actor, dispute.id);
    await deleteUneditedPrefill(tx, actor, dispute.id);
    const kept = await selectEvidence(tx, actor, dispute.id);
    // An edited prefill item is the agent's now: do not add its fresh twin beside it.
    const editedKinds = new Set(kept.filter((i) => i.origin === 'prefill').map((i) => i.kind));
    const rows: NewEvidenceRow[] = fresh
      .filter((d) => !editedKinds.has(d.kind))
      .map((d, index) => ({
        kind: d.kind,
        title: d.title,
        body: d.body,
        included: d.included,
        origin: 'prefill',
        position: index,
        file_id: null,
      }));
    await insertEvidence(tx, actor, dispute.id, rows);
    return (await selectEvidence(tx, actor, dispute.id)).map(toEvidenceItemView);
  });
}
