import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import type { JsonObject } from '../../platform/schema.js';
import { customerView } from './customer-queries.js';
import { normalizeIdentity } from './normalize.js';
import { customerMerged, identityTaken } from './profile.js';
import type { IdentityKind } from './schema.js';
import {
  deleteIdentity,
  ensurePrimaryIdentities,
  findIdentityOwner,
  insertIdentity,
  listIdentities,
  loadCustomer,
  loadIdentity,
  makePrimaryIdentity,
  updateCustomerRow,
} from './store.js';
import type { CustomerRow, CustomerView } from './view.js';

/**
 * Emails and phone numbers of a customer. Each change locks the customer row (changes to one
 * customer's identities run one after another), bumps its version and keeps exactly one primary
 * per kind while identities of that kind exist.
 */
async function changeIdentities(
  db: Db,
  actor: Actor,
  customerId: string,
  change: (tx: Db, customer: CustomerRow) => Promise<JsonObject>,
): Promise<CustomerView> {
  return inTransaction(db, async (tx) => {
    const customer = await loadCustomer(tx, actor, 'customer.write', customerId, { lock: true });
    if (customer.merged_into_id) throw customerMerged(customer.merged_into_id);
    const payload = await change(tx, customer);
    const row = (await updateCustomerRow(tx, actor, customerId, null, {}))!;
    await recordDomainEvent(tx, actor, {
      type: 'customer.updated',
      aggregateType: 'customer',
      aggregateId: customerId,
      payload: { customer_id: customerId, version: row.version, ...payload },
    });
    return customerView(tx, actor, row);
  });
}

export async function addIdentity(
  db: Db,
  actor: Actor,
  customerId: string,
  input: { kind: IdentityKind; value: string; is_primary?: boolean | undefined },
): Promise<CustomerView> {
  const value = normalizeIdentity(input.kind, input.value, 'value');
  return changeIdentities(db, actor, customerId, async (tx) => {
    const existing = await listIdentities(tx, actor, [customerId]);
    const firstOfKind = !existing.some((i) => i.kind === input.kind);
    const id = await insertIdentity(tx, actor, { customerId, kind: input.kind, value, isPrimary: firstOfKind });
    if (!id) throw identityTaken(input.kind, value, 'value', (await findIdentityOwner(tx, actor, input.kind, value))?.customer_id);
    if (input.is_primary && !firstOfKind) await makePrimaryIdentity(tx, actor, customerId, { id, kind: input.kind });
    return { change: 'identity_added', identity_id: id, kind: input.kind };
  });
}

export async function removeIdentity(db: Db, actor: Actor, customerId: string, identityId: string): Promise<CustomerView> {
  return changeIdentities(db, actor, customerId, async (tx) => {
    const identity = await loadIdentity(tx, actor, customerId, identityId);
    await deleteIdentity(tx, actor, customerId, identity.id);
    // Removing the primary promotes the oldest remaining identity of that kind.
    await ensurePrimaryIdentities(tx, actor, customerId);
    return { change: 'identity_removed', identity_id: identity.id, kind: identity.kind };
  });
}

export async function setPrimaryIdentity(db: Db, actor: Actor, customerId: string, identityId: string): Promise<CustomerView> {
  return changeIdentities(db, actor, customerId, async (tx) => {
    const identity = await loadIdentity(tx, actor, customerId, identityId);
    await makePrimaryIdentity(tx, actor, customerId, identity);
    return { change: 'identity_primary', identity_id: identity.id, kind: identity.kind };
  });
}
