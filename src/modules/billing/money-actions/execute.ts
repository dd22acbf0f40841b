import type { AppContext } from '../../../context.js';
import { inTransaction, type Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { enqueueJob, type JobHandler } from '../../../platform/jobs.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { BillingConnector } from '../connectors/connector.js';
import { insertPendingRefund, selectAccount, selectRefundOfAction } from './billing-store.js';
import { moneyActionConnector } from './connector-source.js';
import { settleMoneyAction, type Outcome } from './settle.js';
import { countExecutionAttempt, loadMoneyAction } from './store.js';
import { refundExceedsPayment } from './target.js';
import type { MoneyActionRow } from './views.js';

/**
 * Execution, so money moves exactly once even across crashes:
 * 1. reserve, in the transaction that approves the action (status `approved`): a refund is a
 *    `pending` billing_refunds row the trigger counts against the payment, so an over-refund
 *    fails right there, before any processor is asked;
 * 2. ask the connector with the idempotency key `money-action:<id>` (a retry asks again with the
 *    same key and the processor answers with the first result);
 * 3. settle in one transaction (settle.ts): the conditional UPDATE approved -> completed|failed
 *    decides once, then the billing state follows (refund settled, credit balance raised, amount
 *    due lowered). A refund the processor accepted as `pending` leaves the action `processing`
 *    until the refund's webhook reports the final status; after the job's last attempt the
 *    action fails with the last error instead of staying `approved`.
 * Steps 2-3 run in a durable job when the connector calls out (Stripe); with the ledger connector
 * (and for fee waivers, which no processor is asked about) they run at once in the request's
 * transaction, through the same function.
 */
export const EXECUTE_MONEY_ACTION_QUEUE = 'billing.execute_money_action';
/** Processor calls before the action fails (the job's backoff spreads them over about half an hour). */
export const MAX_EXECUTION_ATTEMPTS = 10;

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
    // Two runs more than the action's own count: a run that dies settling still gets a successor to fail it.
    { singletonKey: moneyActionIdempotencyKey(action.id), maxAttempts: MAX_EXECUTION_ATTEMPTS + 2 },
  );
}

/**
 * Steps 2 and 3 for an `approved` action; a no-op for any other status (already settled). `db`
 * is the request's transaction (ledger) or the job's database handle (processor call outside
 * any transaction). A processor's refusal (an unprocessable AppError) fails the action; any
 * other error (processor unavailable, a crash) propagates, and the job retries with the same
 * idempotency key, until its last attempt: then the action fails with that error
 * (`countAttempts`, the job's path).
 */
export async function runMoneyAction(
  db: Db,
  actor: Actor,
  actionId: string,
  connectorOf: () => Promise<BillingConnector>,
  options: { countAttempts?: boolean } = {},
): Promise<void> {
  const action = await loadMoneyAction(db, actor, actionId);
  if (action.status !== 'approved') return;
  let attempt = 0;
  if (options.countAttempts) {
    const counted = await inTransaction(db, (tx) => countExecutionAttempt(tx, actor, action.id));
    if (counted === undefined) return;
    attempt = counted;
    // The last attempt died without an answer (a worker killed mid-call): nothing more is tried.
    if (attempt > MAX_EXECUTION_ATTEMPTS) {
      const message = `Gave up after ${MAX_EXECUTION_ATTEMPTS} attempts: the last one did not finish`;
      await inTransaction(db, (tx) =>
        settleMoneyAction(tx, actor, action, { ok: false, message, refundStatus: 'failed', externalId: null }),
      );
      return;
    }
  }
  let outcome: Outcome;
  try {
    outcome = await askConnector(db, actor, await connectorOf(), action);
  } catch (error) {
    if (isRefusal(error)) {
      outcome = { ok: false, message: error.message, refundStatus: 'failed', externalId: null };
    } else if (options.countAttempts && attempt >= MAX_EXECUTION_ATTEMPTS) {
      outcome = { ok: false, message: `Gave up after ${attempt} attempts: ${errorText(error)}`, refundStatus: 'failed', externalId: null };
    } else {
      throw error;
    }
  }
  await inTransaction(db, (tx) => settleMoneyAction(tx, actor, action, outcome));
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

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
      // `pending`: accepted, settled later by the processor's webhook (the action is `processing`).
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

/** The durable job of steps 2-3 for connectors that call out; retried with backoff. */
export function executeMoneyActionJob(ctx: AppContext): JobHandler<JsonObject> {
  return {
    queue: EXECUTE_MONEY_ACTION_QUEUE,
    async run(payload, db) {
      const workspaceId = String(payload.workspace_id);
      const actor = systemActor(workspaceId, 'money action execution');
      await runMoneyAction(db, actor, String(payload.money_action_id), () => moneyActionConnector(ctx, db, workspaceId), {
        countAttempts: true,
      });
    },
  };
}
