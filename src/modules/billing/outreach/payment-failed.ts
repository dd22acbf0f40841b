import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { t } from '../../../platform/i18n/index.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import { createCaseWithMessage, getCase, PROACTIVE_TAG } from '../../cases/service.js';
import { getCustomer, type CustomerView } from '../../customers/service.js';
import type { BillingEventPayloads } from '../events.js';
import { formatMoney } from '../money.js';
import { reachableByEmail, sendOutreachMessage } from './deliver.js';
import { findInvoiceFacts, findOutreachCaseId, findPaymentFacts, lockOutreachSource, recordOutreachCase } from './outreach-store.js';
import { readOutreachSettings } from './settings.js';
import { customerLocale, defaultTemplate, fillOutreachTemplate, formatDueDate, oneLine, type OutreachValues } from './templates.js';

/**
 * `billing.payment_failed` -> a `payment` case tagged `proactive` and `billing:failed-payment`,
 * and the workspace's message to the customer on it (when outreach is on). One case per payment
 * while it is being worked on: a replayed or repeated event finds it (billing_outreach_cases)
 * and does nothing; only after that case was solved or closed does a new failure open another.
 * Failures older than a week (imported history) are left alone.
 */

export const FAILED_PAYMENT_TAG = 'billing:failed-payment';
const DONE = new Set(['solved', 'closed']);
/**
 * A failure older than this is history (a CSV import of past payments, a late webhook): no news
 * to write to the customer about.
 */
export const OUTREACH_MAX_AGE_DAYS = 7;

type Payload = BillingEventPayloads['billing.payment_failed'];

function isPayload(value: unknown): value is Payload {
  const p = value as Partial<Payload>;
  return (
    typeof p.customer_id === 'string' &&
    typeof p.payment_id === 'string' &&
    typeof p.amount_minor === 'number' &&
    typeof p.currency === 'string'
  );
}

/** Null when the case is gone (merged away or another workspace's id: never the case here). */
export async function caseStatusOf(tx: Db, actor: Actor, caseId: string): Promise<string | null> {
  try {
    const kase = await getCase(tx, actor, caseId);
    return kase.merged_into_id ? null : kase.status;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

/** The customer a record names, or the one they were merged into. */
export async function outreachCustomer(tx: Db, actor: Actor, customerId: string): Promise<CustomerView> {
  const customer = await getCustomer(tx, actor, customerId);
  return customer.merged_into_id ? getCustomer(tx, actor, customer.merged_into_id) : customer;
}

export function failureReason(payload: { failure_message: string | null; failure_code: string | null }): string | null {
  return payload.failure_message ?? payload.failure_code ?? null;
}

async function reachOutOnFailedPayment(ctx: AppContext, event: DomainEvent, tx: Db): Promise<void> {
  if (!isPayload(event.payload)) return;
  const payload = event.payload;
  const settings = (await readOutreachSettings(tx, event.workspaceId)).payment_failed;
  if (!settings.enabled) return;
  const actor = systemActor(event.workspaceId, 'billing outreach');
  const payment = await findPaymentFacts(tx, event.workspaceId, payload.payment_id);
  if (!payment || payment.attemptedAt.getTime() < Date.now() - OUTREACH_MAX_AGE_DAYS * 86_400_000) return;

  await lockOutreachSource(tx, event.workspaceId, 'payment_failed', payload.payment_id);
  const existing = await findOutreachCaseId(tx, event.workspaceId, 'payment_failed', payload.payment_id);
  if (existing) {
    const status = await caseStatusOf(tx, actor, existing);
    if (status !== null && !DONE.has(status)) return;
  }

  const customer = await outreachCustomer(tx, actor, payload.customer_id);
  const locale = customerLocale(customer.language);
  const invoice = await findInvoiceFacts(tx, event.workspaceId, payload.invoice_id);
  const amount = formatMoney(payload.amount_minor, payload.currency);
  const values: OutreachValues = {
    customer_name: customer.name,
    case_number: null,
    amount,
    failure_reason: failureReason(payload),
    invoice_number: invoice?.number ?? null,
    due_date: formatDueDate(invoice?.dueAt ?? null, locale),
  };
  const template = defaultTemplate('payment_failed', locale);
  const subjectTemplate = settings.subject ?? template.subject;
  const bodyTemplate = settings.body ?? template.body;
  // The case exists before its number does: the case's subject leaves the number out.
  const caseSubject = fillOutreachTemplate(subjectTemplate.replace(/#?\{\{\s*case_number\s*\}\}/g, ''), values, locale, true);

  const created = await createCaseWithMessage(tx, actor, {
    customerId: customer.id,
    subject: caseSubject || oneLine(template.subject, 300),
    category: 'payment',
    channel: reachableByEmail(customer) ? 'email' : 'api',
    tags: [PROACTIVE_TAG, FAILED_PAYMENT_TAG],
    message: {
      bodyText: t('en', 'billing.outreach.note.payment_failed', {
        amount,
        date: payment.attemptedAt.toISOString().slice(0, 10),
        reason: failureReason(payload) ?? 'no reason given',
      }),
      visibility: 'internal',
      metadata: { billing: { trigger: 'payment_failed', payment_id: payload.payment_id } },
    },
  });
  const numbered = { ...values, case_number: String(created.case.number) };
  await sendOutreachMessage(ctx, tx, actor, {
    caseId: created.case.id,
    caseNumber: created.case.number,
    caseCategory: 'payment',
    customer,
    subject: fillOutreachTemplate(subjectTemplate, numbered, locale, true),
    body: fillOutreachTemplate(bodyTemplate, numbered, locale, false),
    metadata: { billing: { trigger: 'payment_failed', payment_id: payload.payment_id } },
  });
  await recordOutreachCase(tx, event.workspaceId, 'payment_failed', payload.payment_id, created.case.id);
}

export function paymentFailedOutreachListener(ctx: AppContext): DomainEventListener {
  return {
    name: 'billing.outreach.payment_failed',
    handles: ['billing.payment_failed'],
    handle: (event, tx) => reachOutOnFailedPayment(ctx, event, tx),
  };
}
