import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import { findBillingAccountByExternalId, getBillingAccount, upsertBillingAccount } from '../service.js';

/** An event Baton cannot attach to anyone: stored `failed` with this message, answered 200. */
export class UnusableStripeEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableStripeEvent';
  }
}

export interface LinkedAccount {
  accountId: string;
  customerId: string;
}

/**
 * The Baton customer and billing account of a Stripe customer: by the Stripe customer id (the
 * account's external id) first, then by email (the customer found or created by address). A
 * guest payment (email, no Stripe customer) gets the customer's Stripe account without an id.
 */
export async function linkStripeCustomer(
  tx: Db,
  actor: Actor,
  input: { stripeCustomerId: string | null; email: string | null | undefined; name?: string | null | undefined; currency: string },
): Promise<LinkedAccount> {
  if (input.stripeCustomerId) {
    const account = await findBillingAccountByExternalId(tx, actor, 'stripe', input.stripeCustomerId);
    if (account) return { accountId: account.id, customerId: account.customer_id };
  }
  const email = input.email?.trim();
  if (!email) {
    throw new UnusableStripeEvent(
      input.stripeCustomerId
        ? `Stripe customer ${input.stripeCustomerId} is not linked to a Baton customer and the event carries no email address`
        : 'The event names neither a Stripe customer nor an email address',
    );
  }
  const { customerId } = await findOrCreateCustomerByEmail(tx, actor, { email, name: input.name ?? undefined });
  const account = await upsertBillingAccount(tx, actor, {
    customerId,
    source: 'stripe',
    externalId: input.stripeCustomerId,
    currency: input.currency,
    name: input.name ?? null,
    email,
  });
  return { accountId: account.id, customerId };
}

/** The customer of an account already known (a payment found by its charge id). */
export async function customerOfAccount(tx: Db, actor: Actor, accountId: string): Promise<LinkedAccount> {
  const account = await getBillingAccount(tx, actor, accountId);
  return { accountId: account.id, customerId: account.customer_id };
}
