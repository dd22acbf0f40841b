import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import { findBillingAccountByExternalId, getBillingAccount, upsertBillingAccount } from '../service.js';
import type { StripeEventLookups } from './customer-lookup.js';

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
 * account's external id) first, then by email (the customer found or created by address). The
 * email is the event's own (billing details, receipt or invoice email) or, when it has none, the
 * Stripe customer's, looked up before the transaction (customer-lookup.ts): so subscriptions link
 * (or create) their customer the same way charges do. A guest payment (email, no Stripe customer)
 * gets the customer's Stripe account without an id.
 */
export async function linkStripeCustomer(
  tx: Db,
  actor: Actor,
  input: {
    stripeCustomerId: string | null;
    email: string | null | undefined;
    name?: string | null | undefined;
    currency: string;
    lookups?: StripeEventLookups | undefined;
  },
): Promise<LinkedAccount> {
  if (input.stripeCustomerId) {
    const account = await findBillingAccountByExternalId(tx, actor, 'stripe', input.stripeCustomerId);
    if (account) return { accountId: account.id, customerId: account.customer_id };
  }
  let email = input.email?.trim();
  let name = input.name ?? null;
  if (!email && input.stripeCustomerId) {
    const looked = input.lookups?.customers.get(input.stripeCustomerId);
    if (looked && 'error' in looked) {
      throw new UnusableStripeEvent(
        `Stripe customer ${input.stripeCustomerId} is not linked to a Baton customer and Stripe gave no customer: ${looked.error}`,
      );
    }
    email = looked?.customer.email ?? undefined;
    name = name ?? looked?.customer.name ?? null;
  }
  if (!email) throw new UnusableStripeEvent(noEmailReason(input.stripeCustomerId, input.lookups));
  const { customerId } = await findOrCreateCustomerByEmail(tx, actor, { email, name: name ?? undefined });
  const account = await upsertBillingAccount(tx, actor, {
    customerId,
    source: 'stripe',
    externalId: input.stripeCustomerId,
    currency: input.currency,
    name,
    email,
  });
  return { accountId: account.id, customerId };
}

function noEmailReason(stripeCustomerId: string | null, lookups: StripeEventLookups | undefined): string {
  if (!stripeCustomerId) return 'The event names neither a Stripe customer nor an email address';
  if (lookups?.customers.has(stripeCustomerId)) {
    return `Stripe customer ${stripeCustomerId} is not linked to a Baton customer and has no email address in Stripe`;
  }
  const hint = lookups?.canLookUp === false ? ' (no Stripe API key is stored to look the customer up)' : '';
  return `Stripe customer ${stripeCustomerId} is not linked to a Baton customer and the event carries no email address${hint}`;
}

/** The customer of an account already known (a payment found by its charge id). */
export async function customerOfAccount(tx: Db, actor: Actor, accountId: string): Promise<LinkedAccount> {
  const account = await getBillingAccount(tx, actor, accountId);
  return { accountId: account.id, customerId: account.customer_id };
}
