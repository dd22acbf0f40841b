import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { unprocessable } from '../../platform/errors.js';
import { recordBillingEvent } from '../billing/events.js';
import { assertMinorUnits, formatMoney, normalizeCurrency } from '../billing/money.js';
import { markPaymentDisputed, paymentFacts } from './billing-port.js';
import { changeDisputeCase, noteOnDisputeCase, openDisputeCase, recordDisputeCaseEvent } from './dispute-case.js';
import { reasonLabel } from './requirements.js';
import { DISPUTE_REASONS, DISPUTE_STATUSES, isFinalDisputeStatus, type DisputeReason, type DisputeStatus } from './schema.js';
import { insertDispute, lockDisputeByExternalId, updateDisputeRow, type DisputeChanges, type DisputeRow } from './store.js';

export interface ProcessorDisputeInput {
  source: 'stripe';
  externalId: string;
  chargeExternalId: string | null;
  customerId: string;
  accountId: string | null;
  paymentId: string | null;
  amountMinor: number;
  currency: string;
  /** Stripe's reason; one Baton does not know is recorded as `general`. */
  reason: string;
  networkReasonCode: string | null;
  status: string;
  evidenceDueAt: Date | null;
  /** The processor's event time: an event older than the one last applied changes nothing. */
  eventAt: Date;
  fundsWithdrawnMinor?: number | undefined;
  fundsReinstatedMinor?: number | undefined;
}

export interface RecordDisputeResult {
  disputeId: string;
  caseId: string | null;
  changed: boolean;
}

const toReason = (reason: string): DisputeReason =>
  (DISPUTE_REASONS as readonly string[]).includes(reason) ? (reason as DisputeReason) : 'general';

function toStatus(status: string): DisputeStatus {
  if ((DISPUTE_STATUSES as readonly string[]).includes(status)) return status as DisputeStatus;
  throw unprocessable('dispute.invalid_status', `"${status}" is not a dispute status`, { status });
}

const outcomeOf = (status: DisputeStatus): 'won' | 'lost' | null => (status === 'won' || status === 'lost' ? status : null);
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export function closingNote(dispute: Pick<DisputeRow, 'status' | 'amount_minor' | 'currency'>): string {
  const amount = formatMoney(dispute.amount_minor, dispute.currency);
  switch (dispute.status) {
    case 'won':
      return `Dispute won: the ${amount} stay with us (funds reinstated).`;
    case 'lost':
      return `Dispute lost: the ${amount} went back to the customer's bank.`;
    case 'prevented':
      return "Dispute prevented: the customer's bank closed it before it became a chargeback.";
    default:
      return 'Dispute inquiry closed by the card network without a chargeback.';
  }
}

/**
 * Records what the payment processor says about a dispute (webhook), inside the caller's
 * transaction: inserted or updated by (workspace, external_id); an event older than the last one
 * applied changes nothing (webhooks arrive out of order), and a final status is never left.
 * A new dispute opens its case; later changes move the case's deadline and add notes and events.
 */
export async function recordProcessorDispute(tx: Db, actor: Actor, input: ProcessorDisputeInput): Promise<RecordDisputeResult> {
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.amountMinor);
  assertMinorUnits(input.fundsWithdrawnMinor ?? 0, 'funds_withdrawn_minor', { allowZero: true });
  assertMinorUnits(input.fundsReinstatedMinor ?? 0, 'funds_reinstated_minor', { allowZero: true });
  const status = toStatus(input.status);
  const reason = toReason(input.reason);

  const inserted = await insertDispute(tx, actor, {
    customer_id: input.customerId,
    account_id: input.accountId,
    payment_id: input.paymentId,
    source: input.source,
    external_id: input.externalId,
    charge_external_id: input.chargeExternalId,
    amount_minor: input.amountMinor,
    currency,
    reason,
    network_reason_code: input.networkReasonCode,
    status,
    evidence_due_at: input.evidenceDueAt,
    funds_withdrawn_minor: input.fundsWithdrawnMinor ?? 0,
    funds_reinstated_minor: input.fundsReinstatedMinor ?? 0,
    outcome: outcomeOf(status),
    outcome_at: outcomeOf(status) ? input.eventAt : null,
    source_event_at: input.eventAt,
  });
  if (inserted) return opened(tx, actor, inserted);

  const row = await lockDisputeByExternalId(tx, actor, input.externalId);
  if (!row) throw unprocessable('dispute.not_recorded', 'The dispute could not be recorded', { external_id: input.externalId });
  if (row.source_event_at && input.eventAt.getTime() < row.source_event_at.getTime()) {
    return { disputeId: row.id, caseId: row.case_id, changed: false };
  }
  return updated(tx, actor, row, { ...input, currency, status, reason });
}

/**
 * A dispute Baton sees for the first time (processor or manual entry): its case, payment flag and
 * events. Every dispute gets its case, also one first seen already closed (`charge.dispute.closed`
 * before or without `created`): the case opens with the facts, gets the closing note and the
 * outcome, and is solved at once.
 */
export async function opened(tx: Db, actor: Actor, row: DisputeRow, caseId: string | null = null): Promise<RecordDisputeResult> {
  const payment = row.payment_id ? await paymentFacts(tx, actor, row.payment_id) : null;
  let dispute = row;
  if (caseId === null) caseId = await openDisputeCase(tx, actor, row, payment?.methodSummary ?? null);
  if (row.case_id !== caseId) dispute = await updateDisputeRow(tx, actor, row.id, { case_id: caseId });
  if (row.payment_id) await markPaymentDisputed(tx, actor, row.payment_id, true);
  await recordBillingEvent(
    tx,
    actor,
    'dispute.opened',
    { type: 'dispute', id: row.id },
    {
      customer_id: row.customer_id,
      dispute_id: row.id,
      case_id: caseId,
      payment_id: row.payment_id,
      amount_minor: row.amount_minor,
      currency: row.currency,
      reason: row.reason,
      evidence_due_at: row.evidence_due_at?.toISOString() ?? null,
    },
  );
  if (isFinalDisputeStatus(row.status)) {
    await closeOnArrival(tx, actor, dispute, caseId);
    await recordBillingEvent(
      tx,
      actor,
      'dispute.closed',
      { type: 'dispute', id: row.id },
      { customer_id: row.customer_id, dispute_id: row.id, case_id: caseId, outcome: row.outcome, status: row.status },
    );
  }
  return { disputeId: dispute.id, caseId, changed: true };
}

/** The case of a dispute that was already closed when Baton learned of it: outcome noted, case solved. */
async function closeOnArrival(tx: Db, actor: Actor, dispute: DisputeRow, caseId: string): Promise<void> {
  await noteOnDisputeCase(tx, actor, caseId, closingNote(dispute), { dispute_id: dispute.id });
  await recordDisputeCaseEvent(tx, actor, caseId, 'dispute_closed', {
    dispute_id: dispute.id,
    status: dispute.status,
    outcome: dispute.outcome,
    first_seen_closed: true,
  });
  // No evidence is due any more: the case is history from the start.
  await changeDisputeCase(tx, actor, caseId, { status: 'solved', dueAt: null });
}

type Incoming = Omit<ProcessorDisputeInput, 'status' | 'reason'> & { status: DisputeStatus; reason: DisputeReason };

async function updated(tx: Db, actor: Actor, row: DisputeRow, input: Incoming): Promise<RecordDisputeResult> {
  const wasFinal = isFinalDisputeStatus(row.status);
  // A final status is never left: a late "needs_response" after "won" is history, not news.
  const status = wasFinal ? row.status : input.status;
  const changes: DisputeChanges = {};
  if (status !== row.status) changes.status = status;
  if (!wasFinal && !sameTime(input.evidenceDueAt, row.evidence_due_at)) changes.evidence_due_at = input.evidenceDueAt;
  if (input.amountMinor !== row.amount_minor) changes.amount_minor = input.amountMinor;
  if (input.currency !== row.currency) changes.currency = input.currency;
  if (input.reason !== row.reason) changes.reason = input.reason;
  if (input.networkReasonCode !== null && input.networkReasonCode !== row.network_reason_code)
    changes.network_reason_code = input.networkReasonCode;
  if (input.chargeExternalId !== null && input.chargeExternalId !== row.charge_external_id)
    changes.charge_external_id = input.chargeExternalId;
  if (input.fundsWithdrawnMinor !== undefined && input.fundsWithdrawnMinor !== row.funds_withdrawn_minor) {
    changes.funds_withdrawn_minor = input.fundsWithdrawnMinor;
  }
  if (input.fundsReinstatedMinor !== undefined && input.fundsReinstatedMinor !== row.funds_reinstated_minor) {
    changes.funds_reinstated_minor = input.fundsReinstatedMinor;
  }
  const paymentLearned = row.payment_id === null && input.paymentId !== null;
  if (paymentLearned) changes.payment_id = input.paymentId;
  if (row.account_id === null && input.accountId !== null) changes.account_id = input.accountId;
  const closing = !wasFinal && isFinalDisputeStatus(status);
  if (closing && outcomeOf(status)) {
    changes.outcome = outcomeOf(status);
    changes.outcome_at = input.eventAt;
  }
  const changed = Object.keys(changes).length > 0;
  const next = await updateDisputeRow(tx, actor, row.id, { ...changes, source_event_at: input.eventAt });
  if (!changed) return { disputeId: row.id, caseId: row.case_id, changed: false };

  if (paymentLearned) await markPaymentDisputed(tx, actor, input.paymentId!, true);
  if (next.case_id === null) {
    // Recorded before every dispute got its case (or the case is gone): it gets one now.
    const methodSummary = next.payment_id ? ((await paymentFacts(tx, actor, next.payment_id))?.methodSummary ?? null) : null;
    const caseId = await openDisputeCase(tx, actor, next, methodSummary);
    const withCase = await updateDisputeRow(tx, actor, row.id, { case_id: caseId });
    if (isFinalDisputeStatus(withCase.status)) await closeOnArrival(tx, actor, withCase, caseId);
    await emitChange(tx, actor, row, withCase, closing);
    return { disputeId: row.id, caseId, changed: true };
  }
  await applyToCase(tx, actor, row, next, closing);
  await emitChange(tx, actor, row, next, closing);
  return { disputeId: row.id, caseId: row.case_id, changed: true };
}

/** What a change means for the dispute's case: deadline, a note, a history entry. */
export async function applyToCase(tx: Db, actor: Actor, before: DisputeRow, after: DisputeRow, closing: boolean): Promise<void> {
  const caseId = after.case_id;
  if (!caseId) return;
  if (!sameTime(before.evidence_due_at, after.evidence_due_at) && !closing) {
    await changeDisputeCase(tx, actor, caseId, { dueAt: after.evidence_due_at });
  }
  if (closing) {
    await noteOnDisputeCase(tx, actor, caseId, closingNote(after), { dispute_id: after.id });
    await recordDisputeCaseEvent(tx, actor, caseId, 'dispute_closed', {
      dispute_id: after.id,
      status: after.status,
      outcome: after.outcome,
    });
    return;
  }
  const notes: string[] = [];
  if (before.status !== after.status) notes.push(`Dispute status: ${before.status} → ${after.status}.`);
  if (!sameTime(before.evidence_due_at, after.evidence_due_at)) {
    notes.push(
      `Evidence now due ${after.evidence_due_at ? after.evidence_due_at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'date removed'}.`,
    );
  }
  if (before.reason !== after.reason) notes.push(`Reason now: ${reasonLabel(after.reason)}.`);
  if (before.amount_minor !== after.amount_minor || before.currency !== after.currency) {
    notes.push(`Amount now: ${formatMoney(after.amount_minor, after.currency)}.`);
  }
  if (notes.length > 0) await noteOnDisputeCase(tx, actor, caseId, notes.join('\n'), { dispute_id: after.id });
  await recordDisputeCaseEvent(tx, actor, caseId, 'dispute_updated', {
    dispute_id: after.id,
    from: before.status,
    to: after.status,
    evidence_due_at: after.evidence_due_at?.toISOString() ?? null,
  });
}

export async function emitChange(tx: Db, actor: Actor, before: DisputeRow, after: DisputeRow, closing: boolean): Promise<void> {
  if (closing) {
    await recordBillingEvent(
      tx,
      actor,
      'dispute.closed',
      { type: 'dispute', id: after.id },
      { customer_id: after.customer_id, dispute_id: after.id, case_id: after.case_id, outcome: after.outcome, status: after.status },
    );
    return;
  }
  await recordBillingEvent(
    tx,
    actor,
    'dispute.updated',
    { type: 'dispute', id: after.id },
    { customer_id: after.customer_id, dispute_id: after.id, case_id: after.case_id, status: after.status, previous_status: before.status },
  );
}
