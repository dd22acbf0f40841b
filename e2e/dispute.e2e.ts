import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiCall as api, apiSignIn, type ApiAnswer } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

async function created<T>(answer: Promise<ApiAnswer<T>>, what: string): Promise<T> {
  const { status, body } = await answer;
  if (status !== 200 && status !== 201) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A chargeback worked in Chromium: a dispute on a customer's payment (entered through the API,
 * evidence due in 3 days) opens a dispute case; the agent sees the countdown, prefills and edits
 * the evidence, downloads the packet PDF and submits it once.
 */
describe('dispute evidence in Chromium', () => {
  let baton: BatonUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    baton = await startBatonForTest({ demoData: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await baton?.stop();
  });

  it('builds, downloads and submits the evidence of a dispute once', async () => {
    const session = await apiSignIn(baton.url, 'admin@demo.test');
    const stamp = Date.now();
    const customer = await created(
      api<{ id: string }>(baton.url, session, 'POST', '/customers', {
        name: `Rhea Dispute ${stamp}`,
        emails: [`rhea.${stamp}@customers.example`],
      }),
      'customer',
    );
    const account = await created(
      api<{ id: string }>(baton.url, session, 'POST', '/billing/accounts', { customer_id: customer.id, currency: 'EUR' }),
      'billing account',
    );
    const payment = await created(
      api<{ id: string }>(baton.url, session, 'POST', '/billing/payments', {
        account_id: account.id,
        amount_minor: 4990,
        currency: 'EUR',
        status: 'succeeded',
        method_summary: 'Visa •••• 4242',
        paid_at: new Date(Date.now() - 10 * 24 * 3_600_000).toISOString(),
      }),
      'payment',
    );
    const dispute = await created(
      api<{ id: string; case: { id: string; number: number } | null }>(baton.url, session, 'POST', '/disputes', {
        customer_id: customer.id,
        payment_id: payment.id,
        amount_minor: 4990,
        currency: 'EUR',
        reason: 'product_not_received',
        network_reason_code: '13.1',
        evidence_due_at: new Date(Date.now() + 3 * 24 * 3_600_000).toISOString(),
      }),
      'dispute',
    );
    expect(dispute.case).not.toBeNull();
    const caseNumber = dispute.case!.number;

    const page = await signIn(browser, baton.url, 'ana@demo.test');
    await page.goto(`${baton.url}/app/cases/${caseNumber}`);
    const panel = page.getByRole('region', { name: 'Dispute', exact: true });
    await panel.waitFor();
    // The machine may be busy: wait for the dispute to load rather than poll for a second.
    await panel.getByText('€49.90').waitFor();
    expect(await panel.textContent()).toContain('Product not received');
    expect(await panel.textContent()).toContain('13.1');
    // Due in 3 days less the seconds the set-up took: "2 days 23 hours left".
    const countdown = panel.locator('[aria-live="polite"]');
    expect(await countdown.textContent()).toMatch(/^(2 days 23 hours|3 days) left$/);
    await expectNoAxeViolations(page, { include: '.dispute-panel' });

    // Prefill from Baton's records: the payment at least becomes a receipt item.
    const items = panel.getByRole('list', { name: 'Staged items' }).getByRole('listitem');
    await panel.getByRole('button', { name: "Prefill from Baton's records" }).click();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // Edit the first item in its dialog.
    const first = items.first();
    await first.getByRole('button', { name: /^Edit/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit evidence item' });
    await dialog.waitFor();
    const newTitle = `Receipt checked by the agent ${stamp}`;
    await dialog.getByLabel('Title').fill(newTitle);
    await dialog.getByLabel('Text').fill(`The customer paid 49.90 EUR and the order was delivered (${stamp}).`);
    await dialog.getByRole('button', { name: 'Save item' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel.getByRole('heading', { name: newTitle }).waitFor();

    // The packet PDF downloads through a plain link and names the disputed amount.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('link', { name: 'Download evidence packet (PDF)' }).click(),
    ]);
    const pdfPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dispute-')), 'packet.pdf');
    await download.saveAs(pdfPath);
    const pdf = fs.readFileSync(pdfPath);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('49.90');
    expect(text).toContain(newTitle);

    // Submit once, through the confirmation that says it can be done only once.
    await panel.getByRole('button', { name: 'Submit evidence' }).click();
    const confirm = page.getByRole('dialog', { name: 'Submit evidence?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('only once');
    await confirm.getByRole('button', { name: 'Submit evidence now' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await panel.getByText(/^Evidence submitted on/).waitFor();
    expect(await panel.textContent()).toContain('by Ana Billing');
    // Read-only now: no submit, prefill, add, edit or include controls.
    expect(await panel.getByRole('button', { name: 'Submit evidence' }).count()).toBe(0);
    expect(await panel.getByRole('button', { name: "Prefill from Baton's records" }).count()).toBe(0);
    expect(await panel.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    expect(await panel.getByRole('checkbox').count()).toBe(0);
    await expectNoAxeViolations(page, { include: '.dispute-panel' });

    // A second submission is refused by the API.
    const again = await api<{ error: { code: string } }>(baton.url, session, 'POST', `/disputes/${dispute.id}/submit`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('dispute.already_submitted');

    // The disputes page lists it with its case and shows the outcome report.
    await page.getByRole('link', { name: 'Disputes', exact: true }).click();
    await page.getByRole('heading', { name: 'Disputes', level: 1 }).waitFor();
    const row = page.locator(`[data-testid="dispute-row"][data-dispute-id="${dispute.id}"]`);
    await row.waitFor();
    expect(await row.getByRole('link', { name: `#${caseNumber}` }).count()).toBe(1);
    expect(await row.textContent()).toContain('€49.90');
    await page.getByRole('img', { name: /Disputes by outcome/ }).waitFor();
    await page.getByLabel('Show').selectOption('lost');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show').selectOption('open');
    await row.waitFor();
    await expectNoAxeViolations(page);

    // Someone else submits while the agent has the builder open: the refusal says so.
    const other = await created(
      api<{ id: string; case: { number: number } | null }>(baton.url, session, 'POST', '/disputes', {
        customer_id: customer.id,
        amount_minor: 120000,
        currency: 'JPY',
        reason: 'fraudulent',
        evidence_due_at: new Date(Date.now() + 5 * 3_600_000).toISOString(),
      }),
      'second dispute',
    );
    await created(
      api(baton.url, session, 'POST', `/disputes/${other.id}/evidence`, { kind: 'receipt', title: 'Order receipt', body: 'Paid.' }),
      'evidence item',
    );
    await page.goto(`${baton.url}/app/cases/${other.case!.number}`);
    await panel.getByText('¥120,000').waitFor();
    expect(await countdown.textContent()).toMatch(/^Due in [45] hours$/);
    expect(await countdown.getAttribute('class')).toContain('countdown__left--warning');
    expect((await api(baton.url, session, 'POST', `/disputes/${other.id}/submit`, {})).status).toBe(200);
    await panel.getByRole('button', { name: 'Submit evidence' }).click();
    await confirm.getByRole('button', { name: 'Submit evidence now' }).click();
    await panel.getByRole('alert').filter({ hasText: 'already submitted' }).waitFor();
    await panel.getByText(/^Evidence submitted on/).waitFor();
    expect(await panel.getByRole('button', { name: 'Submit evidence' }).count()).toBe(0);

    // A dispute entered by hand from the disputes page opens its own dispute case.
    await page.getByRole('link', { name: 'Disputes', exact: true }).click();
    await page.getByRole('button', { name: 'New dispute' }).click();
    const form = page.getByRole('dialog', { name: 'New dispute' });
    await form.getByLabel('Find the customer (name or email)').fill(`Rhea Dispute ${stamp}`);
    await expect.poll(() => form.getByLabel('Customer', { exact: true }).inputValue(), { timeout: 10_000 }).toBe(customer.id);
    await form.getByLabel('Amount').fill('19.999');
    await form.getByRole('button', { name: 'Create dispute' }).click();
    await form.getByText('at most 2 decimals').waitFor();
    expect(await form.getByLabel('Amount').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Amount').fill('19.99');
    await form.getByLabel('Reason', { exact: true }).selectOption('duplicate');
    await form.getByRole('button', { name: 'Create dispute' }).click();
    await form.waitFor({ state: 'hidden' });
    await panel.getByText('€19.99').waitFor();
    expect(await panel.textContent()).toContain('Duplicate charge');
    expect(await panel.textContent()).toContain('No due date');
  });
});
