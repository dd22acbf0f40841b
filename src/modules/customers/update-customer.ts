import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { customerView } from './customer-queries.js';
import { customerMerged, normalizeProfile, staleVersion, type ProfileInput } from './profile.js';
import { loadCustomer, updateCustomerRow } from './store.js';
import type { CustomerView } from './view.js';

export interface UpdateCustomerInput extends ProfileInput {
  /** The version the client read; a different current version is a 409. */
  version: number;
}

/** Changes profile fields under optimistic concurrency; returns the customer with its new version. */
export async function updateCustomer(db: Db, actor: Actor, id: string, input: UpdateCustomerInput): Promise<CustomerView> {
  const { version, ...fields } = input;
  const patch = normalizeProfile(fields);
  return inTransaction(db, async (tx) => {
    const current = await loadCustomer(tx, actor, 'customer.write', id);
    if (current.merged_into_id) throw customerMerged(current.merged_into_id);
    const row = await updateCustomerRow(tx, actor, id, version, patch);
    if (!row) throw staleVersion(current.version);
    await recordDomainEvent(tx, actor, {
      type: 'customer.updated',
      aggregateType: 'customer',
      aggregateId: id,
      payload: { customer_id: id, fields: Object.keys(patch), version: row.version },
    });
    return customerView(tx, actor, row);
  });
}
