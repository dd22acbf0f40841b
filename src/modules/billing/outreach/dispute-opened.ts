import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import { getCase, PROACTIVE_TAG, updateCaseLocked } from '../../cases/service.js';
import type { BillingEventPayloads } from '../events.js';
import { formatMoney } from '../money.js';
import { sendOutreachMessage } from './deliver.js';
import { findInvoiceFacts, findOutreachCaseId, findPaymentFacts, lockOutreachSource, recordOutreachCase } from './outreach-store.js';
import { caseStatusOf, outreachCustomer } from './payment-failed.js';
import { readOutreachSettings } from './settings.js';
import { customerLocale, defaultTemplate, fillOutreachTemplate, formatDueDate, type OutreachValues } from './templates.js';

/**
 * `dispute.opened` -> the workspace's dispute message to the customer, on the dispute case the
 * disputes module opened (when outreach is on). Once per dispute (billing_outreach_cases). The
 * case gets the `proactive` tag, so the customer's own later contact about it joins it.
 */

type Payload = BillingEventPayloads['dispute.opened'];

function isPayload(value: unknown): value is Payload & { case_id: string } {
  const p = value as Partial<Payload>;
  return (
    typeof p.customer_id === 'string' &&
    typeof p.dispute_id === 'string' &&
    typeof p.case_id === 'string' &&
    typeof p.amount_minor === 'number' &&
    typeof p.currency === 'string'
  );
}

/** Processor reason codes read as words: `product_not_received` -> "product not received". */
const readableReason = (reason: string | undefined) => (reason ? reason.replace(/_/g, ' ').trim() || null : null);

async function reachOutOnDispute(ctx: AppContext, event: DomainEvent, tx: Db): Promise<void> {
  if (!isPayload(event.payload)) return;
  const payload = event.payload;
  const settings = (await readOutreachSettings(tx, event.workspaceId)).dispute_opened;
  if (!settings.enabled) return;
  const actor = systemActor(event.workspaceId, 'billing outreach');

  await lockOutreachSource(tx, event.workspaceId, 'dispute_opened', payload.dispute_id);
  if (await findOutreachCaseId(tx, event.workspaceId, 'dispute_opened', payload.dispute_id)) return;
  const status = await caseStatusOf(tx, actor, payload.case_id);
  // A dispute first seen already closed has a solved case: nothing to tell the customer about.
  if (status === null || status === 'closed' || status === 'solved') return;
  const kase = await getCase(tx, actor, payload.case_id);

  const customer = await outreachCustomer(tx, actor, payload.customer_id);
  const locale = customerLocale(customer.language);
  const invoice = await findInvoiceFacts(
    tx,
    event.workspaceId,
    (await findPaymentFacts(tx, event.workspaceId, payload.payment_id))?.invoiceId ?? null,
  );
  const values: OutreachValues = {
    customer_name: customer.name,
    case_number: String(kase.number),
    amount: formatMoney(payload.amount_minor, payload.currency),
    failure_reason: readableReason(payload.reason),
    invoice_number: invoice?.number ?? null,
    due_date: formatDueDate(invoice?.dueAt ?? null, locale),
  };
  const template = defaultTemplate('dispute_opened', locale);
  const outcome = await sendOutreachMessage(ctx, tx, actor, {
    caseId: kase.id,
    caseNumber: kase.number,
    caseCategory: kase.category,
    customer,
    subject: fillOutreachTemplate(settings.subject ?? template.subject, values, locale, true),
    body: fillOutreachTemplate(settings.body ?? template.body, values, locale, false),
    metadata: { billing: { trigger: 'dispute_opened', dispute_id: payload.dispute_id } },
  });
  if (outcome.sent && !kase.tags.includes(PROACTIVE_TAG)) {
    await updateCaseLocked(tx, actor, kase.id, { tags: [...kase.tags, PROACTIVE_TAG] });
  }
  await recordOutreachCase(tx, event.workspaceId, 'dispute_opened', payload.dispute_id, kase.id);
}

export function disputeOpenedOutreachListener(ctx: AppContext): DomainEventListener {
  return {
    name: 'billing.outreach.dispute_opened',
    handles: ['dispute.opened'],
    handle: (event, tx) => reachOutOnDispute(ctx, event, tx),
  };
}
