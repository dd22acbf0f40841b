import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordBillingEvent } from '../events.js';
import type { MoneyActionStatus, RefundStatus } from '../schema.js';
import {
  addCreditBalance,
  insertCredit,
  lockRefundOfAction,
  lowerAmountDue,
  selectRefundSettlement,
  settleRefund,
} from './billing-store.js';
import { recordDecision, recordMoneyActionStep } from './history.js';
import { loadMoneyAction, transitionMoneyAction } from './store.js';
import type { MoneyActionRow } from './views.js';

/**
 * Step 3 of a money action (execute.ts): the processor's answer becomes the action's status and
 * the billing state, in one transaction. The conditional UPDATE on the expected status decides
 * once, whoever settles: the execution job, or a processor webhook reporting a refund's final
 * status (it can arrive before the job stored Stripe's answer, or days later for a `pending` one).
 */
export type Outcome =
  | { ok: true; refundStatus?: RefundStatus; externalId: string | null }
  | { ok: false; message: string; refundStatus?: RefundStatus; externalId: string | null };

type RefundOfAction = Awaited<ReturnType<typeof lockRefundOfAction>>;

/** What a refund's final status (reported by the processor) means for its money action. */
export function outcomeOfSettledRefund(status: RefundStatus, externalId: string | null, failureReason?: string | null): Outcome {
  if (status === 'succeeded') return { ok: true, refundStatus: 'succeeded', externalId };
  const reason = failureReason ? ` (${failureReason.replace(/_/g, ' ')})` : '';
  return { ok: false, message: `The payment processor reported the refund as ${status}${reason}`, refundStatus: status, externalId };
}

/** Settles an `approved` action with the connector's answer (job or request transaction). */
export async function settleMoneyAction(tx: Db, actor: Actor, action: MoneyActionRow, outcome: Outcome): Promise<void> {
  let result = outcome;
  const refund = action.kind === 'refund' ? await lockRefundOfAction(tx, actor, action.id) : undefined;
  // A webhook already reported the refund's final status: that is the truth, whatever the answer was.
  if (refund && refund.status !== 'pending') result = outcomeOfSettledRefund(refund.status, outcome.externalId ?? refund.external_id);
  if (result.ok && result.refundStatus === 'pending') {
    await markProcessing(tx, actor, action, refund, result.externalId);
    return;
  }
  await finishMoneyAction(tx, actor, action.id, 'approved', result, refund);
}

/**
 * The processor accepted the refund but has not settled it (Stripe answered `pending`): the action
 * waits as `processing` with its refund reserved; the refund's webhook finishes it.
 */
async function markProcessing(tx: Db, actor: Actor, action: MoneyActionRow, refund: RefundOfAction, externalId: string | null) {
  const processing = await transitionMoneyAction(tx, actor, action.id, 'approved', { status: 'processing' });
  if (!processing) return;
  if (refund) await settleRefund(tx, actor, refund.id, { status: 'pending', externalId });
  await recordMoneyActionStep(tx, actor, processing, 'money_action_processing', {
    ...(refund ? { refund_id: refund.id, refund_status: 'pending' } : {}),
    ...(externalId ? { external_id: externalId } : {}),
  });
}

/**
 * A processor webhook changed one of Baton's refunds (matched by `baton_refund_id` or its
 * processor id): when the refund reached a final status, its money action follows. A succeeded
 * refund also completes an action the job gave up on (the processor did refund: the books say so).
 */
export async function settleMoneyActionOfRefund(
  tx: Db,
  actor: Actor,
  refundId: string,
  options: { failureReason?: string | null } = {},
): Promise<void> {
  const refund = await selectRefundSettlement(tx, actor, refundId);
  if (!refund?.money_action_id || refund.status === 'pending') return;
  const action = await loadMoneyAction(tx, actor, refund.money_action_id);
  const settleable =
    action.status === 'approved' || action.status === 'processing' || (action.status === 'failed' && refund.status === 'succeeded');
  if (!settleable) return;
  const locked = await lockRefundOfAction(tx, actor, action.id);
  await finishMoneyAction(
    tx,
    actor,
    action.id,
    action.status,
    outcomeOfSettledRefund(refund.status, refund.external_id, options.failureReason),
    locked,
  );
}

async function finishMoneyAction(
  tx: Db,
  actor: Actor,
  actionId: string,
  from: MoneyActionStatus,
  outcome: Outcome,
  refund: RefundOfAction,
): Promise<void> {
  const settled = await transitionMoneyAction(tx, actor, actionId, from, {
    status: outcome.ok ? 'completed' : 'failed',
    failureMessage: outcome.ok ? null : outcome.message.slice(0, 1000),
  });
  // Another worker (or the webhook) settled it first.
  if (!settled) return;
  const amountMinor = Number(settled.amount_minor);
  const base = { customer_id: settled.customer_id, account_id: settled.account_id, amount_minor: amountMinor, currency: settled.currency };
  const extra: Record<string, string | null> = {};
  if (settled.kind === 'refund') {
    if (refund) {
      const status = outcome.refundStatus ?? (outcome.ok ? 'succeeded' : 'failed');
      // Only a refund still pending changes here; a webhook's upsert already recorded the others.
      if (await settleRefund(tx, actor, refund.id, { status, externalId: outcome.externalId })) {
        await recordBillingEvent(
          tx,
          actor,
          'billing.refund_recorded',
          { type: 'refund', id: refund.id },
          { ...base, refund_id: refund.id, payment_id: refund.payment_id, status },
        );
      }
      extra.refund_id = refund.id;
      extra.refund_status = status;
    }
  } else if (outcome.ok) {
    const kind = settled.kind === 'credit' ? 'credit' : 'fee_waiver';
    await insertCredit(tx, actor, {
      id: settled.id,
      accountId: settled.account_id,
      kind,
      amountMinor,
      currency: settled.currency,
      invoiceId: settled.invoice_id,
      moneyActionId: settled.id,
      externalId: outcome.externalId,
      reason: settled.reason,
    });
    if (kind === 'credit') await addCreditBalance(tx, actor, settled.account_id, amountMinor);
    else await lowerAmountDue(tx, actor, settled.invoice_id!, amountMinor);
    await recordBillingEvent(
      tx,
      actor,
      'billing.credit_granted',
      { type: 'credit', id: settled.id },
      { ...base, credit_id: settled.id, kind },
    );
    extra.credit_id = settled.id;
  }
  const externalId = outcome.externalId ?? refund?.external_id ?? null;
  if (externalId) extra.external_id = externalId;
  await recordMoneyActionStep(tx, actor, settled, outcome.ok ? 'money_action_completed' : 'money_action_failed', {
    ...extra,
    ...(outcome.ok ? {} : { failure_message: settled.failure_message }),
  });
  await recordDecision(tx, actor, settled);
}
