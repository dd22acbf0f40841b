import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import type { AgentActor } from '../../../platform/actor.js';
import { authorize } from '../../../platform/authorization.js';
import { validationError } from '../../../platform/errors.js';
import { getCase } from '../../cases/service.js';
import { recordBillingEvent } from '../events.js';
import { assertMinorUnits, normalizeCurrency } from '../money.js';
import type { MoneyActionKind } from '../schema.js';
import { startMoneyAction } from './execute.js';
import { recordMoneyActionStep } from './history.js';
import { approvalLimitOf } from './limits.js';
import { insertMoneyAction, loadMoneyAction } from './store.js';
import { resolveMoneyActionTarget } from './target.js';
import { toMoneyActionView, type MoneyActionView } from './views.js';

export interface MoneyActionRequest {
  kind: MoneyActionKind;
  amountMinor: number;
  currency: string;
  reason: string;
  paymentId?: string | undefined;
  invoiceId?: string | undefined;
  accountId?: string | undefined;
}

export const MAX_REASON_LENGTH = 1000;

/**
 * An agent asks for a refund, credit or fee waiver from a case. Within the agent's approval limit
 * the action is approved and executed at once; above it, it waits (`pending_approval`) for a
 * second person and no money moves. Runs in the caller's transaction (the Idempotency-Key's).
 */
export async function requestMoneyAction(
  tx: Db,
  ctx: AppContext,
  actor: AgentActor,
  caseId: string,
  input: MoneyActionRequest,
): Promise<MoneyActionView> {
  authorize(actor, 'billing.money_action', { workspaceId: actor.workspaceId, type: 'case' });
  // The case first: a case the actor may not see is 404 whatever the body says.
  const kase = await getCase(tx, actor, caseId);
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.amountMinor);
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw validationError('billing.invalid_reason', `Give a reason of 1 to ${MAX_REASON_LENGTH} characters`, { field: 'reason' });
  }
  const customerId = kase.customer.id;
  const target = await resolveMoneyActionTarget(tx, actor, customerId, { ...input, currency });
  const limit = await approvalLimitOf(tx, actor, actor.role, currency);
  const needsApproval = input.amountMinor > limit;
  const action = await insertMoneyAction(tx, actor, {
    customer_id: customerId,
    account_id: target.accountId,
    case_id: kase.id,
    kind: input.kind,
    amount_minor: input.amountMinor,
    currency,
    reason,
    payment_id: target.paymentId,
    invoice_id: target.invoiceId,
    status: needsApproval ? 'pending_approval' : 'approved',
    requested_by: actor.agentId,
  });
  await recordMoneyActionStep(tx, actor, action, 'money_action_requested', { needs_approval: needsApproval, requester_limit_minor: limit });
  await recordBillingEvent(
    tx,
    actor,
    'billing.money_action_requested',
    { type: 'money_action', id: action.id },
    {
      customer_id: customerId,
      money_action_id: action.id,
      case_id: kase.id,
      kind: action.kind,
      amount_minor: input.amountMinor,
      currency,
      needs_approval: needsApproval,
    },
  );
  if (!needsApproval) await startMoneyAction(tx, ctx, actor, action);
  return toMoneyActionView(tx, actor, await loadMoneyAction(tx, actor, action.id));
}
