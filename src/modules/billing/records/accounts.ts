import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { getCustomer } from '../../customers/service.js';
import { normalizeCurrency } from '../money.js';
import type { BillingSource } from '../schema.js';
import { authorizeBillingRead, authorizeBillingWrite } from './access.js';
import {
  loadAccount,
  selectAccountByExternalId,
  selectAccountsOfCustomers,
  selectUnkeyedAccount,
  updateAccountContact,
  upsertAccountRow,
} from './accounts-store.js';
import type { BillingAccountRow } from './rows.js';

export interface UpsertBillingAccountInput {
  customerId: string;
  source: BillingSource;
  externalId: string | null;
  currency: string;
  name?: string | null | undefined;
  email?: string | null | undefined;
}

const clean = (value: string | null | undefined, max: number) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
};

/**
 * The billing account of a customer in a source system. Keyed by (source, external id); an
 * account without an external id (ledger entry) is one per customer, source and currency. An
 * existing account keeps its customer and currency: only its name and email follow the source.
 */
export async function upsertBillingAccount(
  tx: Db,
  actor: Actor,
  input: UpsertBillingAccountInput,
): Promise<{ id: string; created: boolean }> {
  authorizeBillingWrite(actor);
  const currency = normalizeCurrency(input.currency);
  const externalId = clean(input.externalId, 255);
  // The foreign key proves the customer exists, not that it is in this workspace.
  await getCustomer(tx, actor, input.customerId);
  const values = {
    customer_id: input.customerId,
    source: input.source,
    external_id: externalId,
    currency,
    name: clean(input.name, 200),
    email: clean(input.email, 254)?.toLowerCase() ?? null,
  };
  if (externalId === null) {
    const existing = await selectUnkeyedAccount(tx, actor, { customerId: input.customerId, source: input.source, currency });
    if (existing) {
      await updateAccountContact(tx, actor, existing.id, { name: values.name, email: values.email });
      return { id: existing.id, created: false };
    }
  }
  return upsertAccountRow(tx, actor, values);
}

export async function getBillingAccount(db: Db, actor: Actor, accountId: string): Promise<BillingAccountRow> {
  return loadAccount(db, actor, accountId);
}

export async function findBillingAccountByExternalId(
  tx: Db,
  actor: Actor,
  source: BillingSource,
  externalId: string,
): Promise<BillingAccountRow | undefined> {
  return selectAccountByExternalId(tx, actor, source, externalId);
}

export async function listBillingAccountsOfCustomer(db: Db, actor: Actor, customerId: string): Promise<BillingAccountRow[]> {
  authorizeBillingRead(actor);
  return selectAccountsOfCustomers(db, actor, [customerId]);
}
