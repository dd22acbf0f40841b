import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { OutreachTrigger } from './schema.js';

/**
 * SQL of outreach: which case belongs to which failed payment or dispute (billing_outreach_cases)
 * and the invoice facts a template quotes.
 * Used by listeners (Baton itself); every query is scoped by the event's workspace.
 */

/** Serializes outreach decisions per payment or dispute, so two relays cannot open two cases. */
export async function lockOutreachSource(tx: Db, workspaceId: string, trigger: OutreachTrigger, sourceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`billing-outreach:${workspaceId}:${trigger}:${sourceId}`}))`.execute(tx);
}

export async function findOutreachCaseId(
  db: Db,
  workspaceId: string,
  trigger: OutreachTrigger,
  sourceId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('billing_outreach_cases')
    .select('case_id')
    .where('workspace_id', '=', workspaceId)
    .where('trigger', '=', trigger)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row?.case_id;
}

export async function recordOutreachCase(
  tx: Db,
  workspaceId: string,
  trigger: OutreachTrigger,
  sourceId: string,
  caseId: string,
): Promise<void> {
  await tx
    .insertInto('billing_outreach_cases')
    .values({ workspace_id: workspaceId, trigger, source_id: sourceId, case_id: caseId })
    .onConflict((oc) => oc.columns(['workspace_id', 'trigger', 'source_id']).doUpdateSet({ case_id: caseId, updated_at: sql<Date>`now()` }))
    .execute();
}

export interface InvoiceFacts {
  number: string | null;
  dueAt: Date | null;
}

export async function findInvoiceFacts(db: Db, workspaceId: string, invoiceId: string | null): Promise<InvoiceFacts | undefined> {
  if (!invoiceId) return undefined;
  const row = await db
    .selectFrom('billing_invoices')
    .select(['number', 'due_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  return row ? { number: row.number, dueAt: row.due_at } : undefined;
}

/** What outreach quotes of a payment: its invoice (a dispute names only the payment) and when it was attempted. */
export async function findPaymentFacts(
  db: Db,
  workspaceId: string,
  paymentId: string | null,
): Promise<{ invoiceId: string | null; attemptedAt: Date } | undefined> {
  if (!paymentId) return undefined;
  const row = await db
    .selectFrom('billing_payments')
    .select(['invoice_id', 'paid_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', paymentId)
    .executeTakeFirst();
  return row ? { invoiceId: row.invoice_id, attemptedAt: row.paid_at } : undefined;
}
