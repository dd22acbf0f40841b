import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';

/**
 * Billing domain events, written in the transaction that changed the billing state, whichever way
 * the change arrived (ledger API, CSV import, Stripe webhook, money action). Outreach and triage
 * listen to them; payloads carry ids and amounts only, never card data.
 */
export interface BillingEventPayloads {
  'billing.payment_failed': {
    customer_id: string;
    account_id: string;
    payment_id: string;
    invoice_id: string | null;
    amount_minor: number;
    currency: string;
    failure_code: string | null;
    failure_message: string | null;
  };
  'billing.payment_succeeded': {
    customer_id: string;
    account_id: string;
    payment_id: string;
    invoice_id: string | null;
    amount_minor: number;
    currency: string;
  };
  'billing.refund_recorded': {
    customer_id: string;
    account_id: string;
    refund_id: string;
    payment_id: string;
    amount_minor: number;
    currency: string;
    status: string;
  };
  'billing.credit_granted': {
    customer_id: string;
    account_id: string;
    credit_id: string;
    kind: 'credit' | 'fee_waiver';
    amount_minor: number;
    currency: string;
  };
  'billing.subscription_changed': {
    customer_id: string;
    account_id: string;
    subscription_id: string;
    status: string;
    previous_status: string | null;
  };
  'billing.money_action_requested': {
    customer_id: string;
    money_action_id: string;
    case_id: string | null;
    kind: string;
    amount_minor: number;
    currency: string;
    needs_approval: boolean;
  };
  'billing.money_action_decided': {
    customer_id: string;
    money_action_id: string;
    case_id: string | null;
    status: string;
  };
  'dispute.opened': {
    customer_id: string;
    dispute_id: string;
    case_id: string | null;
    payment_id: string | null;
    amount_minor: number;
    currency: string;
    reason: string;
    evidence_due_at: string | null;
  };
  'dispute.updated': { customer_id: string; dispute_id: string; case_id: string | null; status: string; previous_status: string };
  'dispute.closed': { customer_id: string; dispute_id: string; case_id: string | null; outcome: 'won' | 'lost' | null; status: string };
  'dispute.evidence_submitted': { customer_id: string; dispute_id: string; case_id: string | null };
}

export type BillingEventType = keyof BillingEventPayloads;

export async function recordBillingEvent<T extends BillingEventType>(
  tx: Db,
  actor: Actor,
  type: T,
  aggregate: { type: 'billing_account' | 'payment' | 'refund' | 'credit' | 'subscription' | 'money_action' | 'dispute'; id: string },
  payload: BillingEventPayloads[T],
): Promise<void> {
  await recordDomainEvent(tx, actor, {
    type,
    aggregateType: aggregate.type,
    aggregateId: aggregate.id,
    payload: { ...payload },
  });
}
