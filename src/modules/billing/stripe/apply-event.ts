import type Stripe from 'stripe';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { applyCharge } from './apply-charge.js';
import { applyRefundedCharge, applyRefundEvent } from './apply-refund.js';
import { applyDispute } from './apply-dispute.js';
import { applyInvoice } from './apply-invoice.js';
import { noLookups, type StripeEventLookups } from './customer-lookup.js';
import { applySubscription } from './apply-subscription.js';
import type {
  StripeChargeObject,
  StripeDisputeObject,
  StripeInvoiceObject,
  StripeRefundObject,
  StripeSubscriptionObject,
} from './stripe-objects.js';

type Handler = (
  tx: Db,
  actor: Actor,
  object: Record<string, unknown>,
  type: string,
  eventAt: Date,
  lookups: StripeEventLookups,
) => Promise<void>;

const charge: Handler = async (tx, actor, object, _type, at, lookups) => {
  await applyCharge(tx, actor, object as unknown as StripeChargeObject, at, lookups);
};
const invoice: Handler = (tx, actor, object, type, at, lookups) =>
  applyInvoice(tx, actor, object as unknown as StripeInvoiceObject, type, at, lookups);
const subscription: Handler = (tx, actor, object, _type, at, lookups) =>
  applySubscription(tx, actor, object as unknown as StripeSubscriptionObject, at, lookups);
const dispute: Handler = (tx, actor, object, type, at) => applyDispute(tx, actor, object as unknown as StripeDisputeObject, type, at);
const refund: Handler = (tx, actor, object, _type, at) => applyRefundEvent(tx, actor, object as unknown as StripeRefundObject, at);

/** The event types Baton applies; any other type is stored with status `ignored`. */
const HANDLERS: Record<string, Handler> = {
  'charge.succeeded': charge,
  'charge.failed': charge,
  'charge.pending': charge,
  'charge.captured': charge,
  'charge.refunded': (tx, actor, object, _type, at, lookups) =>
    applyRefundedCharge(tx, actor, object as unknown as StripeChargeObject, at, lookups),
  'refund.created': refund,
  'refund.updated': refund,
  'refund.failed': refund,
  'charge.refund.updated': refund,
  'invoice.paid': invoice,
  'invoice.payment_succeeded': invoice,
  'invoice.payment_failed': invoice,
  'invoice.finalized': invoice,
  'invoice.updated': invoice,
  'invoice.voided': invoice,
  'invoice.marked_uncollectible': invoice,
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': subscription,
  'customer.subscription.paused': subscription,
  'customer.subscription.resumed': subscription,
  'charge.dispute.created': dispute,
  'charge.dispute.updated': dispute,
  'charge.dispute.closed': dispute,
  'charge.dispute.funds_withdrawn': dispute,
  'charge.dispute.funds_reinstated': dispute,
};

export const HANDLED_STRIPE_EVENT_TYPES = Object.keys(HANDLERS).sort();

/**
 * Applies one verified event with Baton's system actor, inside the caller's transaction. The
 * event's `created` time travels with every record so a late, older event changes nothing.
 * `lookups`: the Stripe customers fetched before the transaction (customer-lookup.ts).
 */
export async function applyStripeEvent(
  tx: Db,
  actor: Actor,
  event: Stripe.Event,
  lookups: StripeEventLookups = noLookups(),
): Promise<'processed' | 'ignored'> {
  const handler = HANDLERS[event.type];
  if (!handler) return 'ignored';
  const object = event.data.object as unknown as Record<string, unknown>;
  await handler(tx, actor, object, event.type, new Date(event.created * 1000), lookups);
  return 'processed';
}
