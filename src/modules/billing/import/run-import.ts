import type { Db } from '../../../db/database.js';
import { inTransaction } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize } from '../../../platform/authorization.js';
import { AppError, unprocessable } from '../../../platform/errors.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import { authorizeBillingWrite } from '../records/access.js';
import { listBillingAccountsOfCustomer, upsertBillingAccount } from '../records/accounts.js';
import { upsertInvoice } from '../records/invoices.js';
import { upsertPayment } from '../records/payments.js';
import { IMPORT_COLUMNS, planImport, type AccountTarget, type ImportKind, type PlannedRow, type RejectedRow } from './plan.js';
import { parseImportCsv } from './csv.js';

export interface ImportReport {
  dry_run: boolean;
  accepted: number;
  rejected: RejectedRow[];
}

/** A write that failed on one row: the whole import rolls back and the row is reported. */
class RowFailed extends Error {
  constructor(
    readonly row: number,
    readonly failure: AppError,
  ) {
    super(failure.message);
  }
}

const rejectedReport = (report: ImportReport) =>
  unprocessable('billing.import_rejected', `${report.rejected.length} row(s) were rejected: nothing was imported`, { ...report });

/**
 * CSV import of accounts, invoices or payments (supervisor/admin). Every row is checked first;
 * a dry run only reports. Otherwise all rows are written in one transaction through the same
 * record functions as the ledger API and webhooks, or none is: any rejected row (found by the
 * checks, or by the database while writing) answers 422 `billing.import_rejected` with the report.
 */
export async function importBillingCsv(
  db: Db,
  actor: Actor,
  input: { kind: ImportKind; csv: string; dryRun: boolean },
): Promise<ImportReport> {
  authorizeBillingWrite(actor);
  authorize(actor, 'customer.write', { workspaceId: actor.workspaceId, type: 'customer' });
  const rows = parseImportCsv(input.csv, IMPORT_COLUMNS[input.kind]);
  const plan = await planImport(db, actor, input.kind, rows);
  const report: ImportReport = { dry_run: input.dryRun, accepted: plan.accepted.length, rejected: plan.rejected };
  if (input.dryRun) return report;
  if (plan.rejected.length > 0) throw rejectedReport(report);
  try {
    await inTransaction(db, async (tx) => {
      const accounts = new Map<string, string>();
      for (const planned of plan.accepted) {
        try {
          await writeRow(tx, actor, planned, accounts);
        } catch (error) {
          if (error instanceof AppError) throw new RowFailed(planned.row, error);
          throw error;
        }
      }
      await recordAudit(tx, actor, {
        action: 'billing.imported',
        targetType: 'billing_import',
        targetId: null,
        details: { kind: input.kind, rows: plan.accepted.length },
      });
    });
  } catch (error) {
    if (!(error instanceof RowFailed)) throw error;
    const field = typeof error.failure.details?.field === 'string' ? error.failure.details.field : 'row';
    throw rejectedReport({
      dry_run: false,
      accepted: plan.accepted.length - 1,
      rejected: [{ row: error.row, errors: [{ field, code: error.failure.code, message: error.failure.message }] }],
    });
  }
  return report;
}

/** The account of a row: given, or the customer's account in that currency (created when missing). */
async function accountFor(tx: Db, actor: Actor, target: AccountTarget, currency: string, cache: Map<string, string>): Promise<string> {
  if ('accountId' in target) return target.accountId;
  const key = `${target.email}\n${currency}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const { customerId } = await findOrCreateCustomerByEmail(tx, actor, { email: target.email, name: target.name ?? undefined });
  const existing = (await listBillingAccountsOfCustomer(tx, actor, customerId))
    .filter((a) => a.currency === currency)
    .sort((a, b) => (a.source === 'import' ? 0 : 1) - (b.source === 'import' ? 0 : 1))[0];
  const id = existing
    ? existing.id
    : (
        await upsertBillingAccount(tx, actor, {
          customerId,
          source: 'import',
          externalId: null,
          currency,
          name: target.name,
          email: target.email,
        })
      ).id;
  cache.set(key, id);
  return id;
}

async function writeRow(tx: Db, actor: Actor, planned: PlannedRow, cache: Map<string, string>): Promise<void> {
  switch (planned.kind) {
    case 'accounts': {
      const { customerId } = await findOrCreateCustomerByEmail(tx, actor, { email: planned.email, name: planned.name ?? undefined });
      await upsertBillingAccount(tx, actor, {
        customerId,
        source: 'import',
        externalId: planned.externalId,
        currency: planned.currency,
        name: planned.name,
        email: planned.email,
      });
      return;
    }
    case 'invoices':
      await upsertInvoice(tx, actor, {
        accountId: await accountFor(tx, actor, planned.target, planned.currency, cache),
        externalId: planned.externalId,
        number: planned.number,
        status: planned.status,
        currency: planned.currency,
        totalMinor: planned.totalMinor,
        amountPaidMinor: planned.amountPaidMinor,
        issuedAt: planned.issuedAt,
        dueAt: planned.dueAt,
        paidAt: planned.paidAt,
        sourceEventAt: null,
      });
      return;
    case 'payments':
      await upsertPayment(tx, actor, {
        accountId: await accountFor(tx, actor, planned.target, planned.currency, cache),
        invoiceId: planned.invoiceId,
        externalId: planned.externalId,
        amountMinor: planned.amountMinor,
        currency: planned.currency,
        status: planned.status,
        methodSummary: planned.method,
        failureCode: planned.failureCode,
        failureMessage: planned.failureMessage,
        paidAt: planned.paidAt,
        sourceEventAt: null,
      });
      return;
  }
}
