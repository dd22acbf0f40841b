import type { Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import { moveDisputesBetweenCustomers, moveDisputesToCustomer } from '../../disputes/service.js';
import { claimMergeMoves, lockMergeMoves, markMergeMovesUndone, moveCustomerRows, recordMergeMoves } from './merge-moves-store.js';

/**
 * Billing follows customer merges. On `customer.merged` the source customer's billing accounts
 * (with them their subscriptions, invoices, payments, refunds and credits, which hang off the
 * account), money actions and disputes move to the target, so the merged customer's billing state
 * is complete; what moved is recorded per merge. On `customer.merge_undone` exactly that moves
 * back, as far as it is still on the target (the customers module's undo does the same with
 * identities and cases). Runs in the relay's transaction; a replayed event finds its record and
 * does nothing, and an undo relayed before its merge (two relays) marks the merge undone first.
 */

interface MergePayload {
  merge_id: string;
  source_customer_id: string;
  target_customer_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function mergeOf(payload: unknown): MergePayload | null {
  const p = payload as Partial<Record<keyof MergePayload, unknown>>;
  const ok = [p.merge_id, p.source_customer_id, p.target_customer_id].every((v) => typeof v === 'string' && UUID.test(v));
  return ok ? (p as MergePayload) : null;
}

async function followMerge(tx: Db, actor: Actor, merge: MergePayload): Promise<void> {
  const claimed = await claimMergeMoves(tx, actor, {
    mergeId: merge.merge_id,
    sourceCustomerId: merge.source_customer_id,
    targetCustomerId: merge.target_customer_id,
  });
  if (!claimed) return;
  const from = merge.source_customer_id;
  const to = merge.target_customer_id;
  const moved = {
    accountIds: await moveCustomerRows(tx, actor, 'billing_accounts', from, to),
    moneyActionIds: await moveCustomerRows(tx, actor, 'billing_money_actions', from, to),
    disputeIds: await moveDisputesBetweenCustomers(tx, actor, from, to),
  };
  await recordMergeMoves(tx, actor, merge.merge_id, moved);
  await recordAudit(tx, actor, {
    action: 'billing.customer_merge_followed',
    targetType: 'customer',
    targetId: to,
    details: {
      merge_id: merge.merge_id,
      source_customer_id: from,
      target_customer_id: to,
      account_ids: moved.accountIds,
      money_action_ids: moved.moneyActionIds,
      dispute_ids: moved.disputeIds,
    },
  });
}

async function followUndo(tx: Db, actor: Actor, merge: MergePayload): Promise<void> {
  const firstSeen = await claimMergeMoves(tx, actor, {
    mergeId: merge.merge_id,
    sourceCustomerId: merge.source_customer_id,
    targetCustomerId: merge.target_customer_id,
    undone: true,
  });
  if (firstSeen) return;
  const record = await lockMergeMoves(tx, actor, merge.merge_id);
  if (!record || record.undone_at) return;
  // Back from the target to the source: the customers recorded at the merge, not the payload's.
  const from = record.target_customer_id;
  const to = record.source_customer_id;
  const moved = {
    accountIds: await moveCustomerRows(tx, actor, 'billing_accounts', from, to, record.account_ids),
    moneyActionIds: await moveCustomerRows(tx, actor, 'billing_money_actions', from, to, record.money_action_ids),
    disputeIds: await moveDisputesToCustomer(tx, actor, record.dispute_ids, from, to),
  };
  await markMergeMovesUndone(tx, actor, merge.merge_id);
  await recordAudit(tx, actor, {
    action: 'billing.customer_merge_undone',
    targetType: 'customer',
    targetId: to,
    details: {
      merge_id: merge.merge_id,
      source_customer_id: to,
      target_customer_id: from,
      account_ids: moved.accountIds,
      money_action_ids: moved.moneyActionIds,
      dispute_ids: moved.disputeIds,
    },
  });
}

async function handle(event: DomainEvent, tx: Db): Promise<void> {
  const merge = mergeOf(event.payload);
  if (!merge) return;
  const actor = systemActor(event.workspaceId, 'customer merge');
  if (event.type === 'customer.merged') await followMerge(tx, actor, merge);
  else await followUndo(tx, actor, merge);
}

export function billingCustomerMergeListener(): DomainEventListener {
  return { name: 'billing.customer_merge', handles: ['customer.merged', 'customer.merge_undone'], handle };
}
