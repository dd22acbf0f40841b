import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { InvoiceStatus } from '../schema.js';
import { authorizeBillingRead, authorizeBillingWrite } from './access.js';
import type { InvoiceLineRow, InvoiceRow } from './rows.js';

export interface InvoiceValues {
  account_id: string;
  subscription_id: string | null;
  external_id: string | null;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  total_minor: number;
  amount_paid_minor: number;
  amount_due_minor: number;
  issued_at: Date;
  due_at: Date | null;
  paid_at: Date | null;
  source_event_at: Date | null;
}

export interface InvoiceLineValues {
  description: string;
  quantity: number;
  unit_amount_minor: number;
  amount_minor: number;
  is_fee: boolean;
}

export async function insertInvoiceRow(tx: Db, actor: Actor, values: InvoiceValues): Promise<string | null> {
  authorizeBillingWrite(actor, 'invoice');
  const row = await tx
    .insertInto('billing_invoices')
    .values({ ...values, workspace_id: actor.workspaceId })
    .onConflict((oc) => oc.columns(['workspace_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function lockInvoiceByExternalId(tx: Db, actor: Actor, externalId: string): Promise<InvoiceRow | undefined> {
  authorizeBillingRead(actor, 'invoice');
  return tx
    .selectFrom('billing_invoices')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('external_id', '=', externalId)
    .forUpdate()
    .executeTakeFirst();
}

export async function lockInvoice(tx: Db, actor: Actor, id: string): Promise<InvoiceRow | undefined> {
  authorizeBillingRead(actor, 'invoice');
  return tx
    .selectFrom('billing_invoices')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateInvoiceRow(tx: Db, actor: Actor, id: string, values: Omit<InvoiceValues, 'external_id'>) {
  authorizeBillingWrite(actor, 'invoice');
  await tx
    .updateTable('billing_invoices')
    .set({ ...values, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function setInvoiceDue(tx: Db, actor: Actor, id: string, amountDueMinor: number) {
  authorizeBillingWrite(actor, 'invoice');
  await tx
    .updateTable('billing_invoices')
    .set({ amount_due_minor: amountDueMinor, updated_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Replaces an invoice's lines (a processor sends the whole invoice each time). */
export async function replaceInvoiceLines(tx: Db, actor: Actor, invoiceId: string, lines: readonly InvoiceLineValues[]) {
  authorizeBillingWrite(actor, 'invoice');
  await tx.deleteFrom('billing_invoice_lines').where('workspace_id', '=', actor.workspaceId).where('invoice_id', '=', invoiceId).execute();
  if (lines.length === 0) return;
  await tx
    .insertInto('billing_invoice_lines')
    .values(lines.map((line, position) => ({ ...line, position, invoice_id: invoiceId, workspace_id: actor.workspaceId })))
    .execute();
}

/** Fee waivers granted on an invoice: they lower what is still owed. */
export async function sumWaivedOfInvoice(tx: Db, actor: Actor, invoiceId: string): Promise<number> {
  authorizeBillingRead(actor, 'invoice');
  const row = await tx
    .selectFrom('billing_credits')
    .select(sql<number>`coalesce(sum(amount_minor), 0)::int8`.as('waived'))
    .where('workspace_id', '=', actor.workspaceId)
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', 'fee_waiver')
    .executeTakeFirstOrThrow();
  return Number(row.waived);
}

export async function selectInvoice(db: Db, actor: Actor, id: string): Promise<InvoiceRow | undefined> {
  authorizeBillingRead(actor, 'invoice');
  return db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Lines of several invoices in one query, in position order. */
export async function selectLinesOfInvoices(db: Db, actor: Actor, invoiceIds: readonly string[]): Promise<InvoiceLineRow[]> {
  authorizeBillingRead(actor, 'invoice');
  if (invoiceIds.length === 0) return [];
  return db
    .selectFrom('billing_invoice_lines')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('invoice_id', 'in', [...invoiceIds])
    .orderBy('invoice_id')
    .orderBy('position')
    .execute();
}

/** Invoices with these numbers (the import resolves and checks numbers before writing). */
export async function selectInvoicesByNumbers(
  db: Db,
  actor: Actor,
  numbers: readonly string[],
): Promise<{ id: string; number: string; external_id: string | null; account_id: string }[]> {
  authorizeBillingRead(actor, 'invoice');
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('billing_invoices')
    .select(['id', 'number', 'external_id', 'account_id'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('number', 'in', [...numbers])
    .execute();
  return rows.map((r) => ({ ...r, number: r.number! }));
}
