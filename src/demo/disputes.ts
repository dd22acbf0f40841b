import { inTransaction, type Db } from '../db/database.js';
import type { SystemActor } from '../platform/actor.js';
import { getCustomerBillingState } from '../modules/billing/state/get-state.js';
import { createManualDispute } from '../modules/disputes/manual.js';
import { prefillEvidence } from '../modules/disputes/prefill.js';

const DAY = 86_400_000;

/**
 * One open dispute in the demo, through the disputes service: a customer with a card payment
 * disputes it as "subscription canceled", evidence due in five days, with the evidence builder
 * already prefilled from the demo's conversations and billing records.
 */
export async function seedDemoDisputes(db: Db, system: SystemActor, customerIds: readonly string[]): Promise<void> {
  let chosen: { customerId: string; paymentId: string } | null = null;
  for (const customerId of customerIds.slice(0, 20)) {
    const state = await getCustomerBillingState(db, system, customerId);
    const payment = state.payments.find((p) => p.status === 'succeeded' && !p.disputed && p.refunded_minor === 0);
    // Prefer the yearly plan (a large charge is what customers dispute); otherwise any clean payment.
    if (payment && (chosen === null || payment.currency === 'USD')) chosen = { customerId, paymentId: payment.id };
    if (chosen && payment?.currency === 'USD') break;
  }
  if (!chosen) return;
  const pick = chosen;
  const dispute = await inTransaction(db, (tx) =>
    createManualDispute(tx, system, {
      customer_id: pick.customerId,
      payment_id: pick.paymentId,
      reason: 'subscription_canceled',
      network_reason_code: '13.7',
      status: 'needs_response',
      evidence_due_at: new Date(Math.floor((Date.now() + 5 * DAY) / 3_600_000) * 3_600_000).toISOString(),
      external_id: 'demo_dp_1',
    }),
  );
  await prefillEvidence(db, system, dispute.id);
}
