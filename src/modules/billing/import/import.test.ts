import { describe, expect, it } from 'vitest';
import type { BillingStateView } from '../service.js';
import { api, billingWorld, expectStatus, unique, type ErrorResponse } from '../test-support.js';
import { MAX_CSV_BYTES } from './csv.js';

type Report = {
  dry_run: boolean;
  accepted: number;
  rejected: { row: number; errors: { field: string; code: string; message: string }[] }[];
};

const email = () => `${unique('imp')}@example.test`;

describe('POST /billing/import', () => {
  it('imports accounts, then invoices and payments naming them, in major units', async () => {
    const { supervisor, db, workspace } = await billingWorld();
    const [ada, bo] = [email(), email()];
    const extId = unique('acct');
    const accounts = `customer_email,customer_name,currency,external_id\n${ada},Ada Import,eur,${extId}\n${bo},"Bo, the second",USD,\n`;
    const dry = await api(supervisor, 'POST', '/billing/import', { kind: 'accounts', csv: accounts, dry_run: true });
    expectStatus(dry, 200);
    expect(dry.json()).toEqual({ dry_run: true, accepted: 2, rejected: [] });
    expect(await db.selectFrom('billing_accounts').select('id').where('workspace_id', '=', workspace.id).execute()).toHaveLength(0);

    const real = await api(supervisor, 'POST', '/billing/import', { kind: 'accounts', csv: accounts, dry_run: false });
    expectStatus(real, 200);
    expect(real.json()).toEqual({ dry_run: false, accepted: 2, rejected: [] });

    const number = unique('INV');
    const invoices = `account_external_id,customer_email,number,status,currency,total,amount_paid,issued_at,due_at\n${extId},,${number},open,EUR,49.90,10.00,2026-10-01,2026-10-31T12:00:00Z\n,${bo},${unique('INV')},paid,USD,1200,1200,,\n`;
    expectStatus(await api(supervisor, 'POST', '/billing/import', { kind: 'invoices', csv: invoices, dry_run: false }), 200);
    // Importing the same file again updates the invoices instead of failing on their numbers.
    expectStatus(await api(supervisor, 'POST', '/billing/import', { kind: 'invoices', csv: invoices, dry_run: false }), 200);

    const payments = `customer_email,amount,currency,status,method,failure_code,failure_message,paid_at,invoice_number,external_id\n${ada},49.90,EUR,failed,Visa •••• 4242,card_declined,insufficient_funds,2026-10-02T08:00:00Z,${number},${unique('pay')}\n`;
    expectStatus(await api(supervisor, 'POST', '/billing/import', { kind: 'payments', csv: payments, dry_run: false }), 200);

    const adaId = (
      await db
        .selectFrom('customer_identities')
        .select('customer_id')
        .where('workspace_id', '=', workspace.id)
        .where('value', '=', ada)
        .executeTakeFirstOrThrow()
    ).customer_id;
    const state = (await api(supervisor, 'GET', `/customers/${adaId}/billing`)).json<BillingStateView>();
    expect(state.accounts).toMatchObject([{ source: 'import', external_id: extId, currency: 'EUR', name: 'Ada Import' }]);
    expect(state.invoices).toMatchObject([
      { number, total_minor: 4990, amount_paid_minor: 1000, amount_due_minor: 3990, issued_at: '2026-10-01T00:00:00.000Z' },
    ]);
    expect(state.summary.last_failed_payment).toMatchObject({
      amount_minor: 4990,
      failure_code: 'card_declined',
      invoice_id: state.invoices[0]!.id,
    });
    const invoiceRows = await db.selectFrom('billing_invoices').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(invoiceRows).toHaveLength(2);
  });

  it('reports every bad row and writes nothing (all or nothing)', async () => {
    const { supervisor, db, workspace } = await billingWorld();
    const good = email();
    const csv = [
      'customer_email,amount,currency,status,method',
      `${good},10.00,EUR,succeeded,Visa •••• 4242`,
      `${email()},10.00,EURO,succeeded,`,
      `${email()},10.005,EUR,succeeded,`,
      `${email()},10,JPY,succeeded,`,
      `${email()},10.5,JPY,succeeded,`,
      `${email()},10.00,EUR,refunded,`,
      `,10.00,EUR,succeeded,`,
      `not-an-email,1,EUR,succeeded,`,
      `${email()},"1,50",EUR,succeeded,`,
      `${email()},10.00,EUR,succeeded,4242 4242 4242 4242`,
    ].join('\n');
    for (const dryRun of [true, false]) {
      const res = await api(supervisor, 'POST', '/billing/import', { kind: 'payments', csv, dry_run: dryRun });
      expectStatus(res, dryRun ? 200 : 422);
      const report = dryRun ? res.json<Report>() : (res.json<ErrorResponse>().error.details as Report);
      if (!dryRun) expect(res.json<ErrorResponse>().error.code).toBe('billing.import_rejected');
      expect(report.dry_run).toBe(dryRun);
      expect(report.accepted).toBe(2);
      expect(report.rejected.map((r) => [r.row, r.errors.map((e) => `${e.field}:${e.code}`)])).toEqual([
        [3, ['currency:invalid_currency']],
        [4, ['amount:invalid_amount']],
        [6, ['amount:invalid_amount']],
        [7, ['status:invalid_status']],
        [8, ['customer_email:required']],
        [9, ['customer_email:invalid_email']],
        [10, ['amount:invalid_amount']],
        [11, ['method:card_number_refused']],
      ]);
    }
    expect(await db.selectFrom('billing_payments').select('id').where('workspace_id', '=', workspace.id).execute()).toHaveLength(0);
    expect(
      await db.selectFrom('customer_identities').select('id').where('workspace_id', '=', workspace.id).where('value', '=', good).execute(),
    ).toHaveLength(0);
  });

  it('rejects unknown accounts, taken invoice numbers and duplicates within the file', async () => {
    const { supervisor, customerId } = await billingWorld();
    const number = unique('INV');
    const csv = `customer_email,account_external_id,number,status,currency,total\n${email()},,${number},open,EUR,10\n,${unique('nope')},${unique('INV')},open,EUR,10\n${email()},,${number},open,EUR,10\n${email()},,${unique('INV')},open,EUR,-5\n`;
    const res = await api(supervisor, 'POST', '/billing/import', { kind: 'invoices', csv, dry_run: false });
    expectStatus(res, 422);
    const report = res.json<ErrorResponse>().error.details as Report;
    expect(report.rejected.map((r) => [r.row, r.errors.map((e) => `${e.field}:${e.code}`)])).toEqual([
      [3, ['account_external_id:unknown_account']],
      [4, ['number:duplicate']],
      [5, ['total:invalid_amount']],
    ]);
    // A number the ledger already gave another invoice is refused before anything is written.
    const account = await api(supervisor, 'POST', '/billing/accounts', { customer_id: customerId, currency: 'EUR' });
    const ledgerNumber = unique('INV');
    expectStatus(
      await api(supervisor, 'POST', '/billing/invoices', {
        account_id: account.json<{ id: string }>().id,
        number: ledgerNumber,
        status: 'open',
        currency: 'EUR',
        total_minor: 100,
      }),
      201,
    );
    const taken = await api(supervisor, 'POST', '/billing/import', {
      kind: 'invoices',
      csv: `customer_email,number,status,currency,total\n${email()},${ledgerNumber},open,EUR,1.00\n`,
      dry_run: true,
    });
    expectStatus(taken, 200);
    expect(taken.json<Report>().rejected).toEqual([
      { row: 2, errors: [{ field: 'number', code: 'number_taken', message: expect.any(String) }] },
    ]);
  });

  it('refuses files it cannot take: columns, emptiness, size, role', async () => {
    const { supervisor, agent } = await billingWorld();
    const cases: [string, number, string][] = [
      ['customer_email,currency,ammount\na@example.test,EUR,1\n', 422, 'billing.import_unknown_column'],
      ['customer_name,external_id\nAda,1\n', 422, 'billing.import_missing_column'],
      ['customer_email,currency\n', 422, 'billing.import_empty'],
      ['customer_email,currency\n"a@example.test,EUR\n', 422, 'billing.import_invalid_csv'],
      [`customer_email,currency\n${'x'.repeat(MAX_CSV_BYTES)}\n`, 413, 'billing.import_too_large'],
    ];
    for (const [csv, status, code] of cases) {
      const res = await api(supervisor, 'POST', '/billing/import', { kind: 'accounts', csv, dry_run: true });
      expectStatus(res, status);
      expect(res.json<ErrorResponse>().error.code).toBe(code);
    }
    const refused = await api(agent, 'POST', '/billing/import', {
      kind: 'accounts',
      csv: 'customer_email,currency\na@example.test,EUR\n',
      dry_run: true,
    });
    expectStatus(refused, 403);
    expectStatus(await api(supervisor, 'POST', '/billing/import', { kind: 'refunds', csv: 'a', dry_run: true }), 400);
  });
});
