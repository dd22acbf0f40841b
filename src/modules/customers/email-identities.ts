import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { customersOf } from './access.js';
import { normalizeEmail } from './normalize.js';
import { survivingCustomerId } from './store.js';

/**
 * What the email channel needs to know about an address before it writes anything: whose it is
 * (without creating a customer) and whether mail to it bounces. SQL kept here, next to its two
 * commands, because both read or write one identity row.
 */

export interface EmailOwner {
  /** The surviving customer (merges followed). */
  customerId: string;
  name: string;
  language: string;
  /** A permanent bounce was recorded for this address (no automatic mail goes there). */
  undeliverable: boolean;
}

/**
 * The customer an email address belongs to, or null; never creates one. Throws 400
 * `customer.invalid_email` for something that is not an address.
 */
export async function findCustomerByEmail(db: Db, actor: Actor, email: string): Promise<EmailOwner | null> {
  authorize(actor, 'customer.read', customersOf(actor));
  const value = normalizeEmail(email, 'email');
  const row = await db
    .selectFrom('customer_identities as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.customer_id', 'i.undeliverable_at', 'c.merged_into_id', 'c.name', 'c.language'])
    .where('i.workspace_id', '=', actor.workspaceId)
    .where('i.kind', '=', 'email')
    .where('i.value', '=', value)
    .executeTakeFirst();
  if (!row) return null;
  const undeliverable = row.undeliverable_at !== null;
  if (row.merged_into_id === null) return { customerId: row.customer_id, name: row.name, language: row.language, undeliverable };
  const survivor = await survivingCustomerId(db, actor, row.customer_id);
  const target = await db
    .selectFrom('customers')
    .select(['name', 'language'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', survivor)
    .executeTakeFirst();
  return { customerId: survivor, name: target?.name ?? row.name, language: target?.language ?? row.language, undeliverable };
}

/**
 * Records that mail to this address bounced permanently (a DSN): automatic mail stops going
 * there. Returns false when no customer has the address (nothing to mark). The first bounce's
 * time is kept; each call records a domain event with the reason.
 */
export async function markEmailUndeliverable(db: Db, actor: Actor, email: string, reason: string): Promise<boolean> {
  authorize(actor, 'customer.write', customersOf(actor));
  const value = normalizeEmail(email, 'email');
  const row = await db
    .updateTable('customer_identities')
    .set({ undeliverable_at: sql<Date>`coalesce(undeliverable_at, now())` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('kind', '=', 'email')
    .where('value', '=', value)
    .returning(['id', 'customer_id'])
    .executeTakeFirst();
  if (!row) return false;
  await recordDomainEvent(db, actor, {
    type: 'customer.email_undeliverable',
    aggregateType: 'customer',
    aggregateId: row.customer_id,
    payload: { customer_id: row.customer_id, identity_id: row.id, email: value, reason: reason.slice(0, 1000) },
  });
  return true;
}
