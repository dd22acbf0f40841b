import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { idempotencyGuard } from '../../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { withIdempotency } from '../../../platform/idempotency.js';
import { MAX_CSV_BYTES } from './csv.js';
import { importBillingCsv, type ImportReport } from './run-import.js';

/** JSON escaping can double a CSV (quotes, newlines): the body may be larger than the CSV it carries. */
const BODY_LIMIT = 3 * MAX_CSV_BYTES;

const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(),
  accepted: Type.Integer({ minimum: 0, description: 'Rows that pass every check (written unless dry_run)' }),
  rejected: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'Line of the CSV file (the header is line 1)' }),
      errors: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })),
    }),
  ),
});

const DESCRIPTION = `Supervisor or admin (billing.write). A comma-separated CSV, first line the header (column names
case-insensitive, unknown columns refused), at most 5 MB (413 billing.import_too_large) and 20,000 rows.
Amounts are in major units with a "." ("49.90"; "1200" for JPY), never more decimals than the currency has.
Dates: 2026-01-31 or 2026-01-31T09:30:00Z.

- accounts: customer_email*, currency*, customer_name, external_id. The customer is found or created by email.
- invoices: account_external_id or customer_email*, customer_name, number*, status* (draft|open|paid|void|uncollectible),
  currency*, total*, amount_paid, issued_at, due_at, paid_at, external_id (default: the number; importing the same
  invoice again updates it).
- payments: account_external_id or customer_email*, customer_name, amount*, currency*, status* (pending|succeeded|failed),
  method ("Visa •••• 4242": brand and last four only), failure_code, failure_message, paid_at, invoice_number,
  external_id (give it so that importing again updates instead of adding).

A row by customer_email goes to the customer's account in that currency (created when missing).
dry_run: true checks every row and writes nothing. Otherwise all rows are written or none: any rejected row
answers 422 billing.import_rejected with the report in error.details.`;

export function billingImportRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/billing/import',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['billing'],
        summary: 'Import billing accounts, invoices or payments from CSV',
        description: DESCRIPTION,
        headers: IdempotencyHeaders,
        body: Closed({
          kind: Type.Enum(['accounts', 'invoices', 'payments']),
          // The 5 MB limit is checked in bytes by the import (413); this bound only caps the body.
          csv: Type.String({ minLength: 1, maxLength: BODY_LIMIT }),
          dry_run: Type.Boolean(),
        }),
        response: { 200: ImportReportSchema },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      const { kind, csv, dry_run } = request.body;
      const result = await withIdempotency<ImportReport>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 200,
        body: await importBillingCsv(tx, actor, { kind, csv, dryRun: dry_run }),
      }));
      return result.body;
    },
  );
}
