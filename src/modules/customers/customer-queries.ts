import type { Db } from '../../db/database.js';
import { pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { customersOf } from './access.js';
import { decodeTimeCursor } from './normalize.js';
import { listCustomerRows, listIdentities, loadCustomer, loadCustomerSummaries } from './store.js';
import { toCustomerView, type CustomerRow, type CustomerSummary, type CustomerView, type IdentityRow } from './view.js';

/** Views of several customers with their identities fetched in one query (no N+1). */
export async function customerViews(db: Db, actor: Actor, rows: readonly CustomerRow[]): Promise<CustomerView[]> {
  const identities = await listIdentities(
    db,
    actor,
    rows.map((r) => r.id),
  );
  const byCustomer = new Map<string, IdentityRow[]>();
  for (const identity of identities) {
    const list = byCustomer.get(identity.customer_id) ?? [];
    list.push(identity);
    byCustomer.set(identity.customer_id, list);
  }
  return rows.map((row) => toCustomerView(row, byCustomer.get(row.id) ?? []));
}

export async function customerView(db: Db, actor: Actor, row: CustomerRow): Promise<CustomerView> {
  const [view] = await customerViews(db, actor, [row]);
  return view!;
}

/** One customer; a merged customer is returned as it is, with `merged_into_id` set. */
export async function getCustomer(db: Db, actor: Actor, id: string): Promise<CustomerView> {
  return customerView(db, actor, await loadCustomer(db, actor, 'customer.read', id));
}

/** Name, organization and primary email per customer id, in one query; unknown ids are absent. */
export async function getCustomerSummaries(db: Db, actor: Actor, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  const rows = await loadCustomerSummaries(db, actor, ids);
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, primary_email: r.primary_email, organization: r.organization, tags: r.tags, tier: r.tier },
    ]),
  );
}

export interface CustomerListQuery {
  limit?: number | undefined;
  cursor?: string | undefined;
  tag?: string | undefined;
  tier?: string | undefined;
  q?: string | undefined;
}

/** Customers newest first (merged ones left out), filtered by tag, tier and a name/email/phone prefix. */
export async function listCustomers(
  db: Db,
  actor: Actor,
  query: CustomerListQuery,
): Promise<{ data: CustomerView[]; next_cursor: string | null }> {
  authorize(actor, 'customer.read', customersOf(actor));
  const limit = query.limit ?? 25;
  const after = decodeTimeCursor(query.cursor);
  const q = query.q?.trim() || undefined;
  const tag = query.tag?.trim().toLowerCase() || undefined;
  const tier = query.tier?.trim().toLowerCase() || undefined;
  const rows = await listCustomerRows(db, actor, {
    limit,
    tag,
    tier,
    q,
    phonePrefix: q ? phonePrefixOf(q) : undefined,
    after: after ? { createdAtKey: after.at, id: after.id } : undefined,
  });
  const page = pageOf(rows, limit, (r) => [r.created_at_key, r.id]);
  return { data: await customerViews(db, actor, page.data), next_cursor: page.next_cursor };
}

/** A query typed like a phone number also matches stored phones, which keep only + and digits. */
function phonePrefixOf(q: string): string | undefined {
  if (!/^\+?[\d ().\-/]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 3 ? (q.startsWith('+') ? '+' : '') + digits : undefined;
}
