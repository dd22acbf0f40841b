import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import type { AgentActor } from '../../../platform/actor.js';
import { authorize } from '../../../platform/authorization.js';
import { conflict, forbidden } from '../../../platform/errors.js';
import { formatMoney } from '../money.js';
import { startMoneyAction } from './execute.js';
import { recordDecision, recordMoneyActionStep } from './history.js';
import { approvalLimitOf } from './limits.js';
import { loadMoneyAction, transitionMoneyAction } from './store.js';
import { resolveMoneyActionTarget } from './target.js';
import { toMoneyActionView, type MoneyActionView } from './views.js';

export type MoneyActionDecision = 'approve' | 'reject';

const alreadyDecided = (status: string) =>
  conflict('billing.already_decided', `This money action was already decided (it is ${status.replace('_', ' ')})`, { status });

/**
 * A second person approves or rejects an action above its requester's limit: someone with
 * `billing.approve` whose own limit covers the amount, never the requester (the database refuses
 * it too). The conditional UPDATE on `pending_approval` lets exactly one of two racing approvers
 * decide; the other gets 409. Approving re-checks the billing state and executes the action in
 * the same transaction (an over-refund there rolls the approval back: 422, still pending).
 */
export async function decideMoneyAction(
  tx: Db,
  ctx: AppContext,
  actor: AgentActor,
  id: string,
  decision: MoneyActionDecision,
  note: string | undefined,
): Promise<MoneyActionView> {
  authorize(actor, 'billing.approve', { workspaceId: actor.workspaceId, type: 'money_action' });
  const action = await loadMoneyAction(tx, actor, id);
  if (action.requested_by === actor.agentId) {
    throw forbidden('billing.self_approval', 'A money action is approved or rejected by someone other than its requester');
  }
  if (action.status !== 'pending_approval') throw alreadyDecided(action.status);
  const amountMinor = Number(action.amount_minor);
  const limit = await approvalLimitOf(tx, actor, actor.role, action.currency);
  if (amountMinor > limit) {
    throw forbidden(
      'billing.approval_limit_exceeded',
      `${formatMoney(amountMinor, action.currency)} is above your approval limit of ${formatMoney(limit, action.currency)}`,
    );
  }
  const cleanNote = note?.trim() ? note.trim() : null;
  const decided = await transitionMoneyAction(tx, actor, action.id, 'pending_approval', {
    status: decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: actor.agentId,
    decisionNote: cleanNote,
  });
  if (!decided) throw alreadyDecided((await loadMoneyAction(tx, actor, id)).status);
  // After the decision is taken (the loser of a race stops above with 409): the state may have moved.
  if (decision === 'approve') {
    await resolveMoneyActionTarget(tx, actor, action.customer_id, {
      kind: action.kind,
      amountMinor,
      currency: action.currency,
      paymentId: action.payment_id,
      invoiceId: action.invoice_id,
      accountId: action.kind === 'credit' ? action.account_id : null,
    });
  }
  await recordMoneyActionStep(tx, actor, decided, decision === 'approve' ? 'money_action_approved' : 'money_action_rejected', {
    decided_by: actor.agentId,
    decision_note: cleanNote,
  });
  await recordDecision(tx, actor, decided);
  if (decision === 'approve') await startMoneyAction(tx, ctx, actor, decided);
  return toMoneyActionView(tx, actor, await loadMoneyAction(tx, actor, id));
}
