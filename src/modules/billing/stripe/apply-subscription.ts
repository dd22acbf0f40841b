import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { upsertSubscription } from '../service.js';
import { SUBSCRIPTION_STATUSES, type BillingInterval, type SubscriptionStatus } from '../schema.js';
import type { StripeEventLookups } from './customer-lookup.js';
import { linkStripeCustomer, UnusableStripeEvent } from './link-customer.js';
import { dateOf, idOf, type StripeSubscriptionObject } from './stripe-objects.js';

const INTERVALS: readonly string[] = ['day', 'week', 'month', 'year'];

function subscriptionStatus(status: string | undefined): SubscriptionStatus {
  if (status && (SUBSCRIPTION_STATUSES as readonly string[]).includes(status)) return status as SubscriptionStatus;
  throw new UnusableStripeEvent(`Unknown subscription status "${status ?? ''}"`);
}

/**
 * customer.subscription.*: a subscription carries no email. Its Stripe customer is linked by id
 * (an earlier invoice or charge) or, the first time, by the email of the Stripe customer fetched
 * through the API (customer-lookup.ts), creating the Baton customer as a charge would.
 */
export async function applySubscription(
  tx: Db,
  actor: Actor,
  subscription: StripeSubscriptionObject,
  eventAt: Date,
  lookups?: StripeEventLookups,
): Promise<void> {
  const customerId = idOf(subscription.customer);
  if (!customerId) throw new UnusableStripeEvent('The subscription names no Stripe customer');
  const items = subscription.items?.data ?? [];
  const first = items[0];
  const price = first?.price ?? null;
  const product = price?.product;
  const planName =
    price?.nickname ||
    (product && typeof product === 'object' ? product.name : null) ||
    first?.plan?.nickname ||
    price?.id ||
    'Stripe subscription';
  const priceMinor = items.reduce((sum, item) => {
    const unit = item.price?.unit_amount ?? item.plan?.amount ?? 0;
    const quantity = typeof item.quantity === 'number' && item.quantity > 0 ? item.quantity : 1;
    return sum + (Number.isSafeInteger(unit) && unit > 0 ? unit * quantity : 0);
  }, 0);
  const interval = price?.recurring?.interval ?? first?.plan?.interval ?? 'month';
  const periodEnds = items.map((item) => item.current_period_end ?? 0).filter((v) => v > 0);
  const currency = subscription.currency ?? price?.currency;
  if (!currency) throw new UnusableStripeEvent('The subscription has no currency');
  const account = await linkStripeCustomer(tx, actor, { stripeCustomerId: customerId, email: null, currency, lookups });
  await upsertSubscription(tx, actor, {
    accountId: account.accountId,
    externalId: subscription.id,
    planName,
    status: subscriptionStatus(subscription.status),
    priceMinor,
    currency,
    interval: (INTERVALS.includes(interval) ? interval : 'month') as BillingInterval,
    // Newer API versions moved the period to the items.
    currentPeriodEnd: dateOf(subscription.current_period_end) ?? dateOf(periodEnds.length ? Math.max(...periodEnds) : null),
    cancelAtPeriodEnd: subscription.cancel_at_period_end === true,
    sourceEventAt: eventAt,
  });
}
