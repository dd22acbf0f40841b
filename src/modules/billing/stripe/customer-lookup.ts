import type Stripe from 'stripe';
import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { findBillingAccountByExternalId } from '../service.js';
import type { StripeCredentials } from './credentials.js';
import { createStripeClient } from './stripe-client.js';
import { processorError } from './stripe-errors.js';
import { idOf, type Expandable } from './stripe-objects.js';

/**
 * Stripe customers an event needs but does not describe: a subscription (or an invoice or charge
 * without an email) of a Stripe customer Baton has not linked yet. They are fetched through the
 * Stripe client BEFORE the event's transaction (no network call while rows are locked), so the
 * customer is linked by the Stripe customer's email, or created from its name and email, as a
 * charge's billing email does.
 */
export type StripeCustomerLookup =
  | { customer: { email: string | null; name: string | null } }
  /** Stripe answered, but not with a usable customer (deleted, unknown id): the event fails with this. */
  | { error: string };

export interface StripeEventLookups {
  customers: Map<string, StripeCustomerLookup>;
  /** False when no API key is stored: nothing could be looked up. */
  canLookUp: boolean;
}

export const noLookups = (): StripeEventLookups => ({ customers: new Map(), canLookUp: false });

type Obj = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** The Stripe customer an event's object names and the email it carries, per event type. */
function customerOf(type: string, object: Obj): { customer: Expandable; email: string | null } | null {
  if (type.startsWith('customer.subscription.')) return { customer: object.customer as Expandable, email: null };
  if (type.startsWith('invoice.')) return { customer: object.customer as Expandable, email: str(object.customer_email) };
  if (type.startsWith('charge.') && !type.startsWith('charge.dispute.') && !type.startsWith('charge.refund.')) {
    const billing = object.billing_details as Obj | null | undefined;
    return { customer: object.customer as Expandable, email: str(billing?.email) ?? str(object.receipt_email) };
  }
  return null;
}

/** The fields Baton reads from a Stripe customer (expanded in the event or fetched). */
function lookupOf(customer: Obj): StripeCustomerLookup {
  if (customer.deleted === true) return { error: 'the Stripe customer was deleted' };
  return { customer: { email: str(customer.email), name: str(customer.name) } };
}

/**
 * Looks up the Stripe customer of an event when Baton will need it: named, not linked to a Baton
 * account yet, and the event carries no email. Stripe unreachable (503
 * `billing.processor_unavailable`) propagates: the webhook answers 503 and Stripe delivers again.
 */
export async function lookUpEventCustomers(
  db: Db,
  workspaceId: string,
  credentials: Pick<StripeCredentials, 'apiKey' | 'apiBase'>,
  event: { type: string; data: { object: unknown } },
): Promise<StripeEventLookups> {
  const lookups: StripeEventLookups = { customers: new Map(), canLookUp: credentials.apiKey !== null };
  const object = event.data.object as Obj | null;
  const named = object && typeof object === 'object' ? customerOf(event.type, object) : null;
  const customerId = named ? idOf(named.customer) : null;
  if (!named || !customerId || named.email) return lookups;
  if (named.customer && typeof named.customer === 'object' && 'email' in named.customer) {
    lookups.customers.set(customerId, lookupOf(named.customer as Obj));
    return lookups;
  }
  if (await findBillingAccountByExternalId(db, systemActor(workspaceId, 'stripe webhook'), 'stripe', customerId)) return lookups;
  if (!credentials.apiKey) return lookups;
  lookups.customers.set(customerId, await fetchStripeCustomer(createStripeClient(credentials.apiKey, credentials.apiBase), customerId));
  return lookups;
}

export async function fetchStripeCustomer(client: Stripe, customerId: string): Promise<StripeCustomerLookup> {
  try {
    const customer = await client.customers.retrieve(customerId);
    return lookupOf(customer as unknown as Obj);
  } catch (error) {
    const mapped = processorError(error, `fetch the Stripe customer ${customerId}`);
    if (mapped instanceof AppError && mapped.details?.retryable === false) return { error: mapped.message };
    throw mapped;
  }
}
