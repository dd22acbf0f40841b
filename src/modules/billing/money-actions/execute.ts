import type { AppContext } from '../../../context.js';
import { inTransaction, type Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { enqueueJob, type JobHandler } from '../../../platform/jobs.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { BillingConnector } from '../connectors/connector.js';
import { recordBillingEvent } from '../events.js';
import type { RefundStatus } from '../schema.js';
import {
  addCreditBalance,
  insertCredit,
  insertPendingRefund,
  lowerAmountDue,
  selectAccount,
  selectRefundOfAction,
  settleRefund,
} from './billing-store.js';
import { moneyActionConnector } from './connector-source.js';
import { recordDecision, recordMoneyActionStep } from './history.js';
import { loadMoneyAction, transitionMoneyAction } from './store.js';
import { refundExceedsPayment } from './target.js';
import type { MoneyActionRow } from './views.js';

/**
 * Execution, so money moves exactly once even across crashes:
 * 1. reserve, in the transaction that approves the action (status `approved`): a refund is a
 *    `pending` billing_refunds row the trigger counts against the payment, so an over-refund
 *    fails right there, before any processor is asked;
 * 2. ask the connector with the idempotency key `money-action:<id>` (a retry asks again with the
 *    same key and the processor answers with the first result);
 * 3. settle in one transaction: the conditional UPDATE approved -> completed|failed decides once,
 *    then the billing state follows (refund settled, credit balance raised, amount due lowered).
 * Steps 2-3 run in a durable job when the connector calls out (Stripe); with the ledger connector
 * (and for fee waivers, which no processor is asked about) they run at once in the request's
 * transaction, through the same function.
 */
export const EXECUTE_MONEY_ACTION_QUEUE = 'billing.execute_money_action';
const MAX_ATTEMPTS = 10;

export const moneyActionIdempotencyKey = (id: string) => `money-action:${id}`;

/** The SQLSTATE 23514 of the CHECK that keeps refunds within the payment (pg and PGlite). */
function isRefundBoundViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  const name = typeof constraint === 'string' ? constraint : typeof message === 'string' ? message : '';
  return code === '23514' && name.includes('billing_payments_refund_within_paid');
}

/** Step 1, in the caller's transaction, for an action just moved to `approved`. */
export async function startMoneyAction(tx: Db, ctx: AppContext, actor: Actor, action: MoneyActionRow): Promise<void> {
  if (action.kind === 'refund') {
    try {
      await insertPendingRefund(tx, actor, {
        accountId: action.account_id,
        paymentId: action.payment_id!,
        moneyActionId: action.id,
        amountMinor: Number(action.amount_minor),
        currency: action.currency,
        reason: action.reason,
      });
    } catch (error) {
      // The transaction is aborted: the whole request rolls back and answers 422.
      if (isRefundBoundViolation(error)) throw refundExceedsPayment(null, action.currency);
      throw error;
    }
  }
  const connector = await moneyActionConnector(ctx, tx, action.workspace_id);
  if (action.kind === 'fee_waiver' || connector.name === 'ledger') {
    await runMoneyAction(tx, actor, action.id, async () => connector);
    return;
  }
  await enqueueJob(
    tx,
    EXECUTE_MONEY_ACTION_QUEUE,
    { workspace_id: action.workspace_id, money_action_id: action.id },
    { singletonKey: moneyActionIdempotencyKey(action.id), maxAttempts: MAX_ATTEMPTS },
  );
}

type Outcome =
  | { ok: true; refundStatus?: RefundStatus; externalId: string | null }
  | { ok: false; message: string; refundStatus?: RefundStatus; externalId: string | null };

/**
 * Steps 2 and 3 for an `approved` action; a no-op for any other status (already settled). `db`
 * is the request's transaction (ledger) or the job's database handle (processor call outside
 * any transaction). A processor's refusal (an unprocessable AppError) fails the action; any
 * other error (processor unavailable, a crash) propagates, and the job retries with the same
 * idempotency key.
 */
export async function runMoneyAction(db: Db, actor: Actor, actionId: string, connectorOf: () => Promise<BillingConnector>): Promise<void> {
  const action = await loadMoneyAction(db, actor, actionId);
  if (action.status !== 'approved') return;
  let outcome: Outcome;
  try {
    outcome = await askConnector(db, actor, await connectorOf(), action);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    outcome = { ok: false, message: error.message, refundStatus: 'failed', externalId: null };
  }
  await inTransaction(db, (tx) => settleMoneyAction(tx, actor, action, outcome));
}

/** The processor (or its configuration) said no: retrying with the same request cannot help. */
function isRefusal(error: unknown): error is AppError {
  if (!(error instanceof AppError)) return false;
  return error.kind === 'unprocessable' || error.kind === 'validation' || error.details?.retryable === false;
}

async function askConnector(db: Db, actor: Actor, connector: BillingConnector, action: MoneyActionRow): Promise<Outcome> {
  const idempotencyKey = moneyActionIdempotencyKey(action.id);
  const amountMinor = Number(action.amount_minor);
  switch (action.kind) {
    case 'refund': {
      const refund = await selectRefundOfAction(db, actor, action.id);
      if (!refund) throw new Error(`money action ${action.id}: its reserved refund is missing`);
      const result = await connector.createRefund({
        refundId: refund.id,
        paymentExternalId: refund.payment_external_id,
        amountMinor,
        currency: action.currency,
        reason: action.reason,
        idempotencyKey,
      });
      if (result.status === 'failed' || result.status === 'canceled') {
        return {
          ok: false,
          message: 'The payment processor refused the refund',
          refundStatus: result.status,
          externalId: result.externalId,
        };
      }
      return { ok: true, refundStatus: result.status, externalId: result.externalId };
    }
    case 'credit': {
      const account = await selectAccount(db, actor, action.account_id);
      const result = await connector.grantCredit({
        // The credit row takes the action's id, so every retry names the same credit.
        creditId: action.id,
        accountExternalId: account?.external_id ?? null,
        amountMinor,
        currency: action.currency,
        description: action.reason,
        idempotencyKey,
      });
      return { ok: true, externalId: result.externalId };
    }
    case 'fee_waiver':
      // Recorded on Baton's invoice; the connector interface has no processor call for it.
      return { ok: true, externalId: null };
  }
}

async function settleMoneyAction(tx: Db, actor: Actor, action: MoneyActionRow, outcome: Outcome): Promise<void> {
  const settled = await transitionMoneyAction(tx, actor, action.id, 'approved', {
    status: outcome.ok ? 'completed' : 'failed',
    failureMessage: outcome.ok ? null : outcome.message.slice(0, 1000),
  });
  // Another worker settled it first.
  if (!settled) return;
  const amountMinor = Number(settled.amount_minor);
  const base = { customer_id: settled.customer_id, account_id: settled.account_id, amount_minor: amountMinor, currency: settled.currency };
  const extra: Record<string, string | null> = {};
  if (settled.kind === 'refund') {
    const refund = await selectRefundOfAction(tx, actor, settled.id);
    if (refund) {
      const status = outcome.refundStatus ?? (outcome.ok ? 'succeeded' : 'failed');
      await settleRefund(tx, actor, refund.id, { status, externalId: outcome.externalId });
      await recordBillingEvent(
        tx,
        actor,
        'billing.refund_recorded',
        { type: 'refund', id: refund.id },
        {
          ...base,
          refund_id: refund.id,
          payment_id: refund.payment_id,
          status,
        },
      );
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
  if (outcome.externalId) extra.external_id = outcome.externalId;
  await recordMoneyActionStep(tx, actor, settled, outcome.ok ? 'money_action_completed' : 'money_action_failed', {
    ...extra,
    ...(outcome.ok ? {} : { failure_message: settled.failure_message }),
  });
  await recordDecision(tx, actor, settled);
}

/** The durable job of steps 2-3 for connectors that call out; retried with backoff. */
export function executeMoneyActionJob(ctx: AppContext): JobHandler<JsonObject> {
  return {
    queue: EXECUTE_MONEY_ACTION_QUEUE,
    async run(payload, db) {
      const workspaceId = String(payload.workspace_id);
      const actor = systemActor(workspaceId, 'money action execution');
      await runMoneyAction(db, actor, String(payload.money_action_id), () => moneyActionConnector(ctx, db, workspaceId));
    },
  };
}
