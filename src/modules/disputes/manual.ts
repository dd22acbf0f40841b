import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, conflict, unprocessable } from '../../platform/errors.js';
import { assertMinorUnits, normalizeCurrency } from '../billing/money.js';
import { getCase, type CaseView } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { accountIdsOfCustomer, paymentFacts, type PaymentFacts } from './billing-port.js';
import { changeDisputeCase, disputeFacts, noteOnDisputeCase, recordDisputeCaseEvent } from './dispute-case.js';
import { getDispute } from './get-dispute.js';
import { applyToCase, emitChange, opened } from './record-processor-dispute.js';
import { isFinalDisputeStatus, type DisputeReason } from './schema.js';
import { authorizeDisputes, findDisputeByCase, insertDispute, loadDispute, updateDisputeRow } from './store.js';
import type { DisputeView } from './views.js';

/** Disputes an agent enters by hand (a bank letter, a processor Baton is not connected to). */
export interface ManualDisputeInput {
  customer_id: string;
  payment_id?: string | undefined;
  case_id?: string | undefined;
  amount_minor?: number | undefined;
  currency?: string | undefined;
  reason: DisputeReason;
  network_reason_code?: string | undefined;
  status?: 'needs_response' | 'warning_needs_response' | undefined;
  evidence_due_at?: string | null | undefined;
  external_id?: string | undefined;
}

const isNotFound = (error: unknown) => error instanceof AppError && error.kind === 'not_found';

async function requireCustomer(tx: Db, actor: Actor, customerId: string): Promise<void> {
  try {
    await getCustomer(tx, actor, customerId);
  } catch (error) {
    if (isNotFound(error))
      throw unprocessable('dispute.unknown_customer', 'This customer does not exist in the workspace', { field: 'customer_id' });
    throw error;
  }
}

async function requirePayment(tx: Db, actor: Actor, customerId: string, paymentId: string): Promise<PaymentFacts> {
  const payment = await paymentFacts(tx, actor, paymentId);
  if (!payment) throw unprocessable('dispute.unknown_payment', 'This payment does not exist in the workspace', { field: 'payment_id' });
  if (!(await accountIdsOfCustomer(tx, actor, customerId)).has(payment.accountId)) {
    throw unprocessable('dispute.payment_not_of_customer', 'This payment belongs to another customer', { field: 'payment_id' });
  }
  return payment;
}

async function requireAttachableCase(tx: Db, actor: Actor, customerId: string, caseId: string): Promise<CaseView> {
  let kase: CaseView;
  try {
    kase = await getCase(tx, actor, caseId);
  } catch (error) {
    if (isNotFound(error)) throw unprocessable('dispute.unknown_case', 'This case does not exist in the workspace', { field: 'case_id' });
    throw error;
  }
  if (kase.customer.id !== customerId) {
    throw unprocessable('dispute.case_customer_mismatch', 'The case belongs to another customer', { field: 'case_id' });
  }
  if (kase.status === 'closed')
    throw unprocessable('dispute.case_closed', 'The case is closed; open the dispute without it', { field: 'case_id' });
  const existing = await findDisputeByCase(tx, actor, kase.id);
  if (existing) throw conflict('dispute.case_has_dispute', 'This case already has a dispute', { dispute_id: existing.id });
  return kase;
}

function parseDue(value: string | null | undefined): Date | null {
  if (value === undefined || value === null) return null;
  const due = new Date(value);
  if (Number.isNaN(due.getTime()))
    throw unprocessable('dispute.invalid_due_date', 'evidence_due_at must be a date-time', { field: 'evidence_due_at' });
  return due;
}

/**
 * Records a dispute entered by an agent, in the caller's transaction (the route's idempotency
 * transaction). With case_id the existing case becomes the dispute's case (type dispute, due at
 * the evidence deadline); without, a dispute case opens as for a processor dispute.
 */
export async function createManualDispute(tx: Db, actor: Actor, input: ManualDisputeInput): Promise<DisputeView> {
  authorizeDisputes(actor, 'dispute.write');
  await requireCustomer(tx, actor, input.customer_id);
  const payment = input.payment_id ? await requirePayment(tx, actor, input.customer_id, input.payment_id) : null;
  const amount = input.amount_minor ?? payment?.amountMinor;
  const currencyText = input.currency ?? payment?.currency;
  if (amount === undefined || currencyText === undefined) {
    throw unprocessable('dispute.amount_required', 'Give amount_minor and currency, or the disputed payment', { field: 'amount_minor' });
  }
  assertMinorUnits(amount);
  const currency = normalizeCurrency(currencyText);
  const due = parseDue(input.evidence_due_at);
  const kase = input.case_id ? await requireAttachableCase(tx, actor, input.customer_id, input.case_id) : null;

  const row = await insertDispute(tx, actor, {
    customer_id: input.customer_id,
    account_id: payment?.accountId ?? null,
    payment_id: payment?.id ?? null,
    case_id: kase?.id ?? null,
    source: 'manual',
    external_id: input.external_id?.trim() || null,
    charge_external_id: payment?.externalId ?? null,
    amount_minor: amount,
    currency,
    reason: input.reason,
    network_reason_code: input.network_reason_code?.trim() || null,
    status: input.status ?? 'needs_response',
    evidence_due_at: due,
    source_event_at: null,
  });
  if (!row) throw conflict('dispute.duplicate_external_id', 'A dispute with this external id already exists', { field: 'external_id' });
  if (kase) {
    await changeDisputeCase(tx, actor, kase.id, { type: 'dispute', category: 'dispute', dueAt: due });
    await noteOnDisputeCase(tx, actor, kase.id, disputeFacts(row, payment?.methodSummary ?? null), { dispute_id: row.id });
    await recordDisputeCaseEvent(tx, actor, kase.id, 'dispute_attached', { dispute_id: row.id });
  }
  const result = await opened(tx, actor, row, kase?.id ?? null);
  return getDispute(tx, actor, result.disputeId);
}

/** The bank's decision on a manual dispute (processor disputes learn theirs from the processor). */
export async function setManualOutcome(db: Db, actor: Actor, disputeId: string, outcome: 'won' | 'lost'): Promise<DisputeView> {
  return inTransaction(db, async (tx) => {
    const before = await loadDispute(tx, actor, disputeId, 'dispute.write', { forUpdate: true });
    if (before.source !== 'manual') {
      throw unprocessable('dispute.processor_managed', 'The payment processor reports the outcome of this dispute', {
        source: before.source,
      });
    }
    if (isFinalDisputeStatus(before.status)) {
      throw unprocessable('dispute.already_closed', 'This dispute is already closed', { status: before.status });
    }
    const after = await updateDisputeRow(tx, actor, before.id, { status: outcome, outcome, outcome_at: new Date() });
    await applyToCase(tx, actor, before, after, true);
    await emitChange(tx, actor, before, after, true);
    return getDispute(tx, actor, after.id);
  });
}
