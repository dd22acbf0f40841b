import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { selectAccountsByExternalIds } from '../records/accounts-store.js';
import { selectInvoicesByNumbers } from '../records/invoices-store.js';
import type { BillingAccountRow } from '../records/rows.js';
import { INVOICE_STATUSES, PAYMENT_STATUSES, type InvoiceStatus, type PaymentStatus } from '../schema.js';
import type { CsvRow } from './csv.js';
import { RowErrors, type FieldError } from './fields.js';

/**
 * The columns of each import kind and the check of every row before anything is written. A row
 * names its billing account by `account_external_id` (an account already in Baton) or by
 * `customer_email` (customer and account found or created).
 */
export type ImportKind = 'accounts' | 'invoices' | 'payments';

export const IMPORT_COLUMNS: Record<ImportKind, { required: string[]; optional: string[]; oneOf?: string[][] }> = {
  accounts: { required: ['customer_email', 'currency'], optional: ['customer_name', 'external_id'] },
  invoices: {
    required: ['number', 'status', 'currency', 'total'],
    optional: ['external_id', 'customer_name', 'amount_paid', 'issued_at', 'due_at', 'paid_at'],
    oneOf: [['account_external_id', 'customer_email']],
  },
  payments: {
    required: ['amount', 'currency', 'status'],
    optional: ['external_id', 'customer_name', 'invoice_number', 'method', 'failure_code', 'failure_message', 'paid_at'],
    oneOf: [['account_external_id', 'customer_email']],
  },
};

/** Where a row's records go: an existing account, or a customer found/created by email. */
export type AccountTarget = { accountId: string } | { email: string; name: string | null };

export type PlannedRow =
  | { kind: 'accounts'; row: number; email: string; name: string | null; currency: string; externalId: string | null }
  | {
      kind: 'invoices';
      row: number;
      target: AccountTarget;
      externalId: string;
      number: string;
      status: InvoiceStatus;
      currency: string;
      totalMinor: number;
      amountPaidMinor: number;
      issuedAt: Date | null;
      dueAt: Date | null;
      paidAt: Date | null;
    }
  | {
      kind: 'payments';
      row: number;
      target: AccountTarget;
      externalId: string | null;
      invoiceId: string | null;
      amountMinor: number;
      currency: string;
      status: PaymentStatus;
      method: string | null;
      failureCode: string | null;
      failureMessage: string | null;
      paidAt: Date | null;
    };

export interface RejectedRow {
  row: number;
  errors: FieldError[];
}

export interface ImportPlan {
  accepted: PlannedRow[];
  rejected: RejectedRow[];
}

/** Prefer the account the import made, then the ledger's, then a processor's. */
const SOURCE_ORDER = { import: 0, ledger: 1, stripe: 2 } as const;

function target(check: RowErrors, values: Record<string, string>, accounts: Map<string, BillingAccountRow>): AccountTarget | null {
  const externalId = values.account_external_id ?? '';
  if (externalId !== '') {
    const account = accounts.get(externalId);
    if (!account) {
      check.add('account_external_id', 'unknown_account', `No billing account has the external id "${externalId}"`);
      return null;
    }
    return { accountId: account.id };
  }
  const email = check.email(values, 'customer_email', true);
  if (email === null) return null;
  return { email, name: check.text(values, 'customer_name', 200) };
}

export async function planImport(db: Db, actor: Actor, kind: ImportKind, rows: readonly CsvRow[]): Promise<ImportPlan> {
  const accounts = new Map<string, BillingAccountRow>();
  const externalIds = [...new Set(rows.map((r) => r.values.account_external_id ?? '').filter((v) => v !== ''))];
  for (const account of (await selectAccountsByExternalIds(db, actor, externalIds)).sort(
    (a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source],
  )) {
    if (!accounts.has(account.external_id!)) accounts.set(account.external_id!, account);
  }
  const numbers = [...new Set(rows.flatMap((r) => [r.values.number ?? '', r.values.invoice_number ?? '']).filter((v) => v !== ''))];
  const invoices = new Map((await selectInvoicesByNumbers(db, actor, numbers)).map((i) => [i.number, i]));

  const accepted: PlannedRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  const once = (check: RowErrors, field: string, key: string, row: number) => {
    const first = seen.get(key);
    if (first !== undefined) check.add(field, 'duplicate', `Already given on row ${first}`);
    else seen.set(key, row);
  };

  for (const { row, values } of rows) {
    const check = new RowErrors();
    let planned: PlannedRow | null = null;
    if (kind === 'accounts') {
      const email = check.email(values, 'customer_email', true);
      const name = check.text(values, 'customer_name', 200);
      const currency = check.currency(values);
      const externalId = check.text(values, 'external_id', 255);
      if (externalId) once(check, 'external_id', `account:${externalId}`, row);
      if (check.ok) planned = { kind, row, email: email!, name, currency: currency!, externalId };
    } else if (kind === 'invoices') {
      const to = target(check, values, accounts);
      const number = check.required(values, 'number') === null ? null : check.text(values, 'number', 100);
      const externalId = check.text(values, 'external_id', 255) ?? number;
      const status = check.oneOf(values, 'status', INVOICE_STATUSES);
      const currency = check.currency(values);
      const totalMinor = check.amount(values, 'total', currency, { required: true, positive: false });
      const amountPaidMinor = check.amount(values, 'amount_paid', currency, { required: false, positive: false }) ?? 0;
      const issuedAt = check.date(values, 'issued_at');
      const dueAt = check.date(values, 'due_at');
      const paidAt = check.date(values, 'paid_at');
      if (number) {
        once(check, 'number', `invoice:${number}`, row);
        const existing = invoices.get(number);
        // Importing the same invoice again updates it; another invoice's number is refused.
        if (existing && existing.external_id !== externalId)
          check.add('number', 'number_taken', `Invoice number ${number} belongs to another invoice`);
      }
      if (totalMinor !== null && amountPaidMinor > totalMinor) check.add('amount_paid', 'invalid_amount', 'amount_paid is more than total');
      if (check.ok) {
        planned = {
          kind,
          row,
          target: to!,
          externalId: externalId!,
          number: number!,
          status: status!,
          currency: currency!,
          totalMinor: totalMinor!,
          amountPaidMinor,
          issuedAt,
          dueAt,
          paidAt,
        };
      }
    } else {
      const to = target(check, values, accounts);
      const currency = check.currency(values);
      const amountMinor = check.amount(values, 'amount', currency, { required: true, positive: true });
      const status = check.oneOf(values, 'status', PAYMENT_STATUSES);
      const externalId = check.text(values, 'external_id', 255);
      if (externalId) once(check, 'external_id', `payment:${externalId}`, row);
      const method = check.text(values, 'method', 100);
      if (method && /\d[\d -]{6,}\d/.test(method))
        check.add('method', 'card_number_refused', 'method may name the card brand and last four digits only');
      const failureCode = check.text(values, 'failure_code', 100);
      const failureMessage = check.text(values, 'failure_message', 500);
      const paidAt = check.date(values, 'paid_at');
      const invoiceNumber = check.text(values, 'invoice_number', 100);
      let invoiceId: string | null = null;
      if (invoiceNumber) {
        const invoice = invoices.get(invoiceNumber);
        if (!invoice) check.add('invoice_number', 'unknown_invoice', `No invoice has the number ${invoiceNumber}`);
        else invoiceId = invoice.id;
      }
      if (check.ok) {
        planned = {
          kind,
          row,
          target: to!,
          externalId,
          invoiceId,
          amountMinor: amountMinor!,
          currency: currency!,
          status: status!,
          method,
          failureCode,
          failureMessage,
          paidAt,
        };
      }
    }
    if (planned) accepted.push(planned);
    else rejected.push({ row, errors: check.errors });
  }
  return { accepted, rejected };
}
