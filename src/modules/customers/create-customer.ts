import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { customerView } from './customer-queries.js';
import { normalizeEmail, normalizePhone } from './normalize.js';
import { identityTaken, normalizeProfile, type ProfileInput } from './profile.js';
import type { IdentityKind } from './schema.js';
import { findIdentityOwner, insertCustomer, insertIdentity } from './store.js';
import type { CustomerView } from './view.js';

export interface CreateCustomerInput extends ProfileInput {
  name: string;
  emails?: string[] | undefined;
  phones?: string[] | undefined;
}

/** Normalizes a list of identity values, reporting `emails.2` style fields; duplicates collapse. */
function normalizeList(values: readonly string[] | undefined, kind: IdentityKind): { value: string; field: string }[] {
  const seen = new Set<string>();
  const list: { value: string; field: string }[] = [];
  (values ?? []).forEach((raw, i) => {
    const field = `${kind === 'email' ? 'emails' : 'phones'}.${i}`;
    const value = kind === 'email' ? normalizeEmail(raw, field) : normalizePhone(raw, field);
    if (seen.has(value)) return;
    seen.add(value);
    list.push({ value, field });
  });
  return list;
}

/**
 * Creates a customer with its emails and phones (the first of each kind is primary), inside the
 * caller's transaction (the route runs it under withIdempotency). Everything is validated before
 * the first write.
 */
export async function createCustomer(tx: Db, actor: Actor, input: CreateCustomerInput): Promise<CustomerView> {
  authorize(actor, 'customer.write', customersOf(actor));
  const profile = normalizeProfile(input);
  const identities = [
    ...normalizeList(input.emails, 'email').map((i) => ({ ...i, kind: 'email' as const })),
    ...normalizeList(input.phones, 'phone').map((i) => ({ ...i, kind: 'phone' as const })),
  ];
  const row = await insertCustomer(tx, actor, profile);
  const primaryDone = new Set<IdentityKind>();
  for (const identity of identities) {
    const id = await insertIdentity(tx, actor, {
      customerId: row.id,
      kind: identity.kind,
      value: identity.value,
      isPrimary: !primaryDone.has(identity.kind),
    });
    if (!id)
      throw identityTaken(
        identity.kind,
        identity.value,
        identity.field,
        (await findIdentityOwner(tx, actor, identity.kind, identity.value))?.customer_id,
      );
    primaryDone.add(identity.kind);
  }
  await recordDomainEvent(tx, actor, {
    type: 'customer.created',
    aggregateType: 'customer',
    aggregateId: row.id,
    payload: { customer_id: row.id },
  });
  return customerView(tx, actor, row);
}
