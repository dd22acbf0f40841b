import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { normalizeEmail, normalizeLanguage } from './normalize.js';
import { deleteNewCustomer, findIdentityOwner, insertCustomer, insertIdentity, survivingCustomerId } from './store.js';

export interface FindOrCreateByEmailInput {
  email: string;
  name?: string | undefined;
  language?: string | undefined;
}

/**
 * The customer an email address belongs to (following merges to the surviving customer), or a
 * new customer with that address as primary email. Runs inside the caller's transaction when one
 * is open. Race-safe: of two concurrent calls with the same new address one inserts the identity;
 * the other's ON CONFLICT waits for it, finds the address taken, drops its own fresh customer
 * and returns the winner's. Needs `customer.write` (channels call it with a system actor).
 */
export async function findOrCreateCustomerByEmail(
  db: Db,
  actor: Actor,
  input: FindOrCreateByEmailInput,
): Promise<{ customerId: string; created: boolean }> {
  authorize(actor, 'customer.write', customersOf(actor));
  const email = normalizeEmail(input.email, 'email');
  const name = (input.name ?? '').trim().slice(0, 200);
  // The language comes from mail headers or a browser: a bad tag must not lose the customer's contact.
  let language: string | undefined;
  try {
    language = input.language ? normalizeLanguage(input.language) : undefined;
  } catch {
    language = undefined;
  }
  return inTransaction(db, async (tx) => {
    const existing = await findIdentityOwner(tx, actor, 'email', email);
    if (existing) return { customerId: await survivingCustomerId(tx, actor, existing.customer_id), created: false };
    const customer = await insertCustomer(tx, actor, { name, ...(language ? { language } : {}) });
    const identityId = await insertIdentity(tx, actor, { customerId: customer.id, kind: 'email', value: email, isPrimary: true });
    if (!identityId) {
      await deleteNewCustomer(tx, actor, customer.id);
      const winner = await findIdentityOwner(tx, actor, 'email', email);
      if (!winner) throw new Error('customer identity vanished between insert conflict and re-read');
      return { customerId: await survivingCustomerId(tx, actor, winner.customer_id), created: false };
    }
    await recordDomainEvent(tx, actor, {
      type: 'customer.created',
      aggregateType: 'customer',
      aggregateId: customer.id,
      payload: { customer_id: customer.id, source: 'email' },
    });
    return { customerId: customer.id, created: true };
  });
}
