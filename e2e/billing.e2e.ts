import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiOk as api, apiSignIn } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

interface CaseJson {
  id: string;
  number: number;
  customer: { id: string };
}

/**
 * Money actions in Chromium: an agent sees a customer's billing next to their case, refunds part
 * of a payment within their limit (done at once), asks for a refund above it (waits), and a
 * supervisor approves it on the approvals page; the payment then shows everything refunded.
 */
describe('billing and money actions in Chromium', () => {
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

  it('refunds within the limit, sends a larger refund for approval and shows the approved refund', async () => {
    const url = baton.url;
    const supervisor = await apiSignIn(url, 'supervisor@demo.test');
    const email = `billing-e2e-${Date.now()}@example.org`;

    // A customer with a card payment of 120.00 EUR and, later, a failed one of 49.90 EUR (ledger entry).
    const first = await api<CaseJson>(url, supervisor, 'POST', '/cases', {
      customer: { email, name: 'Bea Billing' },
      subject: 'Question about my plan',
      category: 'billing',
      priority: 'normal',
      channel: 'email',
      message: { body: 'Which plan am I on?', visibility: 'public' },
    });
    const customerId = first.customer.id;
    const account = await api<{ id: string }>(url, supervisor, 'POST', '/billing/accounts', { customer_id: customerId, currency: 'EUR' });
    const paid = await api<{ id: string }>(url, supervisor, 'POST', '/billing/payments', {
      account_id: account.id,
      amount_minor: 12000,
      currency: 'EUR',
      status: 'succeeded',
      method_summary: 'Visa •••• 4242',
      paid_at: '2026-11-02T10:00:00Z',
    });
    await api(url, supervisor, 'POST', '/billing/payments', {
      account_id: account.id,
      amount_minor: 4990,
      currency: 'EUR',
      status: 'failed',
      method_summary: 'Visa •••• 4242',
      failure_code: 'card_declined',
      failure_message: 'Your card was declined.',
      paid_at: '2026-11-20T09:00:00Z',
    });

    // Their next case is triaged as billing-relevant: the agent sees why.
    const kase = await api<CaseJson>(url, supervisor, 'POST', '/cases', {
      customer: { email },
      subject: 'Why was I charged?',
      category: 'billing',
      priority: 'normal',
      channel: 'email',
      message: { body: 'My card was declined, please help.', visibility: 'public' },
    });

    const agent = await signIn(browser, url, 'ana@demo.test');
    await agent.goto(`${url}/app/cases/${kase.number}`);
    const panel = agent.getByRole('region', { name: 'Billing' });
    await panel.getByRole('heading', { name: 'Recent payments' }).waitFor();

    // The triage "why" (written by a listener after the case was created: reload until it is there).
    await expect
      .poll(
        async () => {
          if ((await agent.getByTestId('billing-why').count()) > 0) return true;
          await agent.reload();
          await panel.getByRole('heading', { name: 'Recent payments' }).waitFor();
          return (await agent.getByTestId('billing-why').count()) > 0;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);
    expect(await agent.getByTestId('billing-why').textContent()).toMatch(/failed/i);

    // The last failed payment stands out, with its reason.
    const failed = panel.getByRole('group', { name: 'Last failed payment:' });
    expect(await failed.textContent()).toContain('€49.90');
    expect(await failed.textContent()).toContain('Your card was declined.');

    const payment = panel.locator(`[data-testid="billing-payment"][data-payment-id="${paid.id}"]`);
    expect(await payment.textContent()).toContain('€120.00');
    expect(await payment.textContent()).toContain('Succeeded');

    // Accessibility of the panel as the agent sees it.
    await expectNoAxeViolations(agent, { include: '.billing-panel' });

    // From here on the page is never reloaded: money actions update the panel and the history in place.
    let pageLoads = 0;
    agent.on('load', () => pageLoads++);
    const moneyRequests: string[] = [];
    agent.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/money-actions')) moneyRequests.push(req.url());
    });
    const history = agent.getByRole('list', { name: 'History' });

    // A partial refund within the agent's limit (50.00 EUR): done at once.
    await refund(agent, payment, '20.00', 'Charged twice for November');
    const result = agent.getByTestId('money-action-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('completed');
    expect(await result.textContent()).toContain('Refund of €20.00: completed');
    await agent.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => payment.textContent()).toContain('Refunded €20.00');
    // The case history shows the refund without a reload.
    await expect.poll(() => history.textContent()).toContain('Refund of €20.00 completed');
    expect(await panel.locator('[data-testid="money-action"][data-status="completed"]').textContent()).toContain('Refund of €20.00');

    // A refund above the limit waits for a supervisor; the form starts with what is left (100.00).
    await payment.getByRole('button', { name: /^Refund payment of €120\.00/ }).click();
    const dialog = agent.getByRole('dialog', { name: 'Refund' });
    const amount = dialog.getByLabel('Amount (EUR)');
    expect(await amount.inputValue()).toBe('100.00');
    // Amounts the form cannot read exactly are refused with a message under the field, and never sent.
    const sentBefore = moneyRequests.length;
    await dialog.getByLabel('Reason').fill('Service outage credit');
    for (const [typed, message] of [
      ['80.005', 'Use at most 2 decimal places for EUR.'],
      ['1,080.00', 'Type the amount without thousands separators, for example 1200.50.'],
      ['-80', 'Enter the amount as digits with at most one decimal point, for example 12.50.'],
      ['0', 'Enter an amount above zero.'],
      ['100.01', 'At most €100.00 is possible here.'],
    ] as const) {
      await amount.fill(typed);
      await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
      await dialog.getByRole('alert').filter({ hasText: message }).waitFor();
      expect(await amount.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    }
    await expectNoAxeViolations(agent, { include: 'dialog[open]' });
    expect(moneyRequests.length).toBe(sentBefore);
    await amount.fill('80.00');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('pending_approval');
    expect(await result.textContent()).toContain('waiting for approval (above your limit)');
    expect(moneyRequests.length).toBe(sentBefore + 1);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    const pendingAction = panel.locator('[data-testid="money-action"][data-status="pending_approval"]');
    await pendingAction.waitFor();
    expect(await pendingAction.textContent()).toContain('Refund of €80.00');
    await expect.poll(() => history.textContent()).toContain('Refund of €80.00 requested, waiting for approval');
    expect(pageLoads).toBe(0);

    // The supervisor approves it on the approvals page (the side navigation counts it).
    const boss = await signIn(browser, url, 'supervisor@demo.test');
    const approvalsLink = boss.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Approvals/ });
    await expect.poll(() => approvalsLink.textContent()).toMatch(/Approvals\s*,?\s*1/);
    await approvalsLink.click();
    await boss.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    const row = boss.getByTestId('approval-row').filter({ hasText: '€80.00' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Service outage credit');
    await expectNoAxeViolations(boss);
    await row.getByRole('button', { name: 'Approve Refund of €80.00' }).click();
    const decide = boss.getByRole('dialog', { name: 'Approve money action' });
    await decide.getByLabel('Note (optional)').fill('OK, outage confirmed');
    await decide.getByRole('button', { name: 'Approve and carry out' }).click();
    await boss.getByRole('status').filter({ hasText: 'Refund of €80.00 approved.' }).waitFor();
    await expect.poll(() => boss.getByTestId('approval-row').count()).toBe(0);
    await boss.getByText('Nothing is waiting for approval.').waitFor();

    // Back on the case: 100.00 of the 120.00 refunded, the money action completed.
    await agent.reload();
    await expect.poll(() => payment.textContent(), { timeout: 15_000 }).toContain('Refunded €100.00');
    const done = panel.locator('[data-testid="money-action"][data-status="completed"]');
    await expect.poll(() => done.count()).toBe(2);
    expect(await panel.locator('[data-testid="money-action"]').filter({ hasText: '€80.00' }).textContent()).toContain('Approved by');

    // The case history tells the story in words.
    await expect.poll(() => history.textContent()).toContain('Refund of €80.00 approved');
  });

  it('refuses a self-approval, and lets an admin set limits and import billing records after a dry run', async () => {
    const url = baton.url;
    const supervisor = await apiSignIn(url, 'supervisor@demo.test');
    const email = `billing-admin-e2e-${Date.now()}@example.org`;
    const kase = await api<CaseJson>(url, supervisor, 'POST', '/cases', {
      customer: { email, name: 'Carl Customer' },
      subject: 'Refund for the annual plan',
      category: 'refund',
      priority: 'normal',
      channel: 'email',
      message: { body: 'Please refund my annual plan.', visibility: 'public' },
    });
    const account = await api<{ id: string }>(url, supervisor, 'POST', '/billing/accounts', {
      customer_id: kase.customer.id,
      currency: 'EUR',
    });
    const payment = await api<{ id: string }>(url, supervisor, 'POST', '/billing/payments', {
      account_id: account.id,
      amount_minor: 100000,
      currency: 'EUR',
      status: 'succeeded',
    });
    // Above the supervisor's own limit (500.00 EUR): it waits for someone else.
    const action = await api<{ status: string }>(url, supervisor, 'POST', `/cases/${kase.id}/money-actions`, {
      kind: 'refund',
      amount_minor: 60000,
      currency: 'EUR',
      reason: 'Annual plan cancelled in the first week',
      payment_id: payment.id,
    });
    expect(action.status).toBe('pending_approval');

    const boss = await signIn(browser, url, 'supervisor@demo.test');
    await boss.goto(`${url}/app/billing/approvals`);
    const row = boss.getByTestId('approval-row').filter({ hasText: '€600.00' });
    await row.getByRole('button', { name: 'Approve Refund of €600.00' }).click();
    const decide = boss.getByRole('dialog', { name: 'Approve money action' });
    await decide.getByRole('button', { name: 'Approve and carry out' }).click();
    await decide.getByRole('alert').filter({ hasText: 'someone else has to approve' }).waitFor();
    await decide.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.count()).toBe(1);

    // The admin may: approve it, then look after the settings.
    const admin = await signIn(browser, url, 'admin@demo.test');
    await admin.goto(`${url}/app/billing/approvals`);
    const adminRow = admin.getByTestId('approval-row').filter({ hasText: '€600.00' });
    await adminRow.getByRole('button', { name: 'Reject Refund of €600.00' }).click();
    const reject = admin.getByRole('dialog', { name: 'Reject money action' });
    await reject.getByLabel(/Why it is rejected/).fill('Outside the refund window');
    await reject.getByRole('button', { name: 'Reject', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'Refund of €600.00 rejected.' }).waitFor();

    // Approval limits: a row for agents in JPY.
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing', exact: true }).click();
    await admin.getByRole('heading', { name: 'Billing settings', level: 1 }).waitFor();
    await admin.getByRole('heading', { name: 'Approval limits' }).waitFor();
    await admin.getByLabel('Webhook endpoint URL').waitFor();
    expect(await admin.getByLabel('Webhook endpoint URL').inputValue()).toMatch(/\/api\/v1\/webhooks\/stripe\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(admin);
    await admin.getByRole('button', { name: 'Add limit' }).click();
    await admin.getByLabel('Currency, row 1').fill('JPY');
    await admin.getByLabel('Limit, row 1').fill('12.5');
    await admin.getByRole('button', { name: 'Save limits' }).click();
    await admin.getByText('JPY has no decimal places: enter a whole number.').waitFor();
    await admin.getByLabel('Limit, row 1').fill('8000');
    await admin.getByRole('button', { name: 'Save limits' }).click();
    await admin.getByRole('status').filter({ hasText: 'Approval limits saved.' }).waitFor();
    const limits = await api<{ limits: { role: string; currency: string; max_minor: number }[] }>(
      url,
      await apiSignIn(url, 'admin@demo.test'),
      'GET',
      '/billing/approval-limits',
    );
    expect(limits.limits).toEqual([{ role: 'agent', currency: 'JPY', max_minor: 8000 }]);

    // Import: the check lists the refused rows; Import opens only after a clean check.
    await admin.getByRole('link', { name: 'Import billing records' }).click();
    await admin.getByRole('heading', { name: 'Billing import', level: 1 }).waitFor();
    const importEmail = `imported-${Date.now()}@example.org`;
    await admin.getByLabel('CSV content').fill(`customer_email,currency\n${importEmail},EUR\nnot-an-email,EURO\n`);
    await admin.getByRole('button', { name: 'Check (dry run)' }).click();
    const rejected = admin.getByTestId('import-rejected-row');
    await rejected.first().waitFor();
    expect(await rejected.first().getAttribute('data-row')).toBe('3');
    expect(await admin.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await expectNoAxeViolations(admin);
    await admin.getByLabel('CSV content').fill(`customer_email,currency\n${importEmail},EUR\n`);
    await admin.getByRole('button', { name: 'Check (dry run)' }).click();
    await admin.getByText('1 row can be imported.').waitFor();
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.getByText('1 row imported.').waitFor();
  });

  it('shows the oldest waiting approvals first and loads more of them', async () => {
    const url = baton.url;
    const supervisor = await apiSignIn(url, 'supervisor@demo.test');
    const kase = await api<CaseJson>(url, supervisor, 'POST', '/cases', {
      customer: { email: `approvals-e2e-${Date.now()}@example.org`, name: 'Gwen Goodwill' },
      subject: 'Many goodwill credits',
      category: 'billing',
      priority: 'normal',
      channel: 'email',
      message: { body: 'Sorry for all the trouble.', visibility: 'public' },
    });
    const account = await api<{ id: string }>(url, supervisor, 'POST', '/billing/accounts', {
      customer_id: kase.customer.id,
      currency: 'EUR',
    });
    // 51 credits above the agent's limit (50.00 EUR): one more than the page shows.
    const agentApi = await apiSignIn(url, 'ana@demo.test');
    for (let i = 0; i < 51; i++) {
      const action = await api<{ status: string }>(url, agentApi, 'POST', `/cases/${kase.id}/money-actions`, {
        kind: 'credit',
        amount_minor: 6000 + i,
        currency: 'EUR',
        reason: `Goodwill credit ${i + 1}`,
        account_id: account.id,
      });
      expect(action.status).toBe('pending_approval');
    }

    const boss = await signIn(browser, url, 'supervisor@demo.test');
    await boss.goto(`${url}/app/billing/approvals`);
    await boss.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    const rows = boss.getByTestId('approval-row');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await rows.first().textContent()).toContain('Goodwill credit 1');
    await boss.getByText('The 50 longest waiting money actions are shown; more are waiting.').waitFor();
    expect(await rows.filter({ hasText: 'Goodwill credit 51' }).count()).toBe(0);
    // Checked at the top of the page: further down, the sticky top bar covers the rows scrolled under it.
    await expectNoAxeViolations(boss);

    // Deciding a row of the first page does not lose the place: the next page still follows.
    await rows.first().getByRole('button', { name: 'Approve Account credit of €60.00' }).click();
    const decide = boss.getByRole('dialog', { name: 'Approve money action' });
    await decide.getByRole('button', { name: 'Approve and carry out' }).click();
    await boss.getByRole('status').filter({ hasText: 'Account credit of €60.00 approved.' }).waitFor();
    await expect.poll(() => rows.count()).toBe(49);

    await boss.getByRole('button', { name: 'Load more money actions' }).click();
    await expect.poll(() => rows.count()).toBe(50);
    const last = rows.filter({ hasText: 'Goodwill credit 51' });
    expect(await last.count()).toBe(1);
    // Focus continues at the first row that came in; nothing more to load.
    await expect.poll(() => last.locator('th').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await boss.getByRole('button', { name: 'Load more money actions' }).count()).toBe(0);
    await boss.getByText('50 money actions waiting.').waitFor();
  });

  it('lists the Stripe webhook events with their status and error, retries failed ones, filters by status', async () => {
    const url = baton.url;
    const adminApi = await apiSignIn(url, 'admin@demo.test');
    const secret = 'whsec_e2eBillingWebhookSecret0123';
    const settings = await api<{ webhook_url: string }>(url, adminApi, 'PUT', '/billing/settings/stripe', { webhook_secrets: [secret] });
    const endpoint = `${url}${new URL(settings.webhook_url).pathname}`;
    const stamp = Date.now();
    const send = async (event: Record<string, unknown>) => {
      const body = JSON.stringify({ object: 'event', api_version: '2024-06-20', livemode: false, ...event });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': `t=${timestamp},v1=${signature}` },
        body,
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { status?: string }).status;
    };
    const created = Math.floor(Date.now() / 1000);
    const chargeId = `ch_e2e_refunded_${stamp}`;
    const refundObject = { id: `re_e2e_${stamp}`, object: 'refund', amount: 500, currency: 'eur', charge: chargeId, status: 'succeeded' };
    // A type Baton does not use, a charge it cannot attach to any customer, and two events of a
    // refund whose charge Baton does not know yet.
    expect(
      await send({
        id: `evt_e2e_ignored_${stamp}`,
        type: 'customer.created',
        created,
        data: { object: { id: 'cus_e2e', object: 'customer' } },
      }),
    ).toBe('ignored');
    expect(
      await send({
        id: `evt_e2e_failed_${stamp}`,
        type: 'charge.succeeded',
        created,
        data: { object: { id: `ch_e2e_${stamp}`, object: 'charge', amount: 1500, currency: 'eur', status: 'succeeded' } },
      }),
    ).toBe('failed');
    expect(await send({ id: `evt_e2e_refund_${stamp}`, type: 'refund.created', created, data: { object: refundObject } })).toBe('failed');
    expect(await send({ id: `evt_e2e_refund2_${stamp}`, type: 'refund.updated', created, data: { object: refundObject } })).toBe('failed');

    const admin = await signIn(browser, url, 'admin@demo.test');
    await admin.goto(`${url}/app/admin/billing`);
    const section = admin.getByRole('region', { name: 'Stripe webhook events' });
    const table = section.getByRole('table', { name: 'Stripe webhook events' });
    await table.waitFor();
    const rowOf = (eventId: string) => table.getByRole('row').filter({ hasText: eventId });
    const failedRow = rowOf(`evt_e2e_failed_${stamp}`);
    const ignoredRow = rowOf(`evt_e2e_ignored_${stamp}`);
    const refundRow = rowOf(`evt_e2e_refund_${stamp}`);
    const staleRow = rowOf(`evt_e2e_refund2_${stamp}`);
    expect(await failedRow.textContent()).toContain('charge.succeeded');
    expect(await failedRow.textContent()).toContain('Failed');
    expect(await failedRow.textContent()).toContain('The event names neither a Stripe customer nor an email address');
    expect(await refundRow.textContent()).toContain(`The refunded charge ${chargeId} is not known to Baton`);
    expect(await ignoredRow.textContent()).toContain('Ignored');
    // Only failed events offer a retry.
    expect(await ignoredRow.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    await expectNoAxeViolations(admin, { include: '.admin-section' });

    // The cause goes away: the charge arrives (a guest payment, found by email). A retry of the
    // refund's event now applies it; the row updates in place and the outcome is announced.
    expect(
      await send({
        id: `evt_e2e_charge_${stamp}`,
        type: 'charge.succeeded',
        created,
        data: {
          object: {
            id: chargeId,
            object: 'charge',
            amount: 1500,
            currency: 'eur',
            status: 'succeeded',
            created,
            billing_details: { email: `webhook-retry-${stamp}@example.test`, name: 'Webhook Retry' },
          },
        },
      }),
    ).toBe('processed');
    const retryResult = section.getByRole('status').filter({ hasText: /Retried|Could not retry/ });
    const refundRetry = refundRow.getByRole('button', { name: `Retry refund.created evt_e2e_refund_${stamp}` });
    await refundRetry.click();
    await retryResult.getByText(`Retried refund.created (evt_e2e_refund_${stamp}): processed.`).waitFor();
    await expect.poll(() => refundRow.textContent()).toContain('Processed');
    expect(await refundRow.textContent()).not.toContain('is not known to Baton');
    expect(await refundRow.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    // The button is gone: focus stays in the row, on its header.
    await expect.poll(() => refundRow.getByRole('rowheader').evaluate((el) => el === document.activeElement)).toBe(true);

    // The other refund event is retried elsewhere first (over the API): this page's button is
    // stale, and the server's refusal is shown.
    const failedEvents = await api<{ data: { id: string; event_id: string }[] }>(
      url,
      adminApi,
      'GET',
      '/billing/webhook-events?status=failed',
    );
    const staleId = failedEvents.data.find((e) => e.event_id === `evt_e2e_refund2_${stamp}`)!.id;
    expect((await api<{ status: string }>(url, adminApi, 'POST', `/billing/webhook-events/${staleId}/retry`)).status).toBe('processed');
    await staleRow.getByRole('button', { name: `Retry refund.updated evt_e2e_refund2_${stamp}` }).click();
    await retryResult
      .getByText(`Could not retry refund.updated (evt_e2e_refund2_${stamp}): Only a failed event can be retried (this one is processed)`)
      .waitFor();
    await expect.poll(() => staleRow.textContent()).toContain('Processed');
    expect(await staleRow.getByRole('button', { name: /^Retry/ }).count()).toBe(0);

    // A retry that fails again says so, with the new error. While it runs (the request is held
    // here) its button is disabled; it is back for the next try afterwards.
    const failedRetry = failedRow.getByRole('button', { name: `Retry charge.succeeded evt_e2e_failed_${stamp}` });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const retryRoute = '**/api/v1/billing/webhook-events/*/retry';
    await admin.route(retryRoute, async (route) => {
      await held;
      await route.continue();
    });
    await failedRetry.click();
    const running = failedRow.getByRole('button', { name: `Retrying… charge.succeeded evt_e2e_failed_${stamp}` });
    await expect.poll(() => running.isDisabled()).toBe(true);
    release();
    await retryResult
      .getByText(
        `Retried charge.succeeded (evt_e2e_failed_${stamp}): still failed. The event names neither a Stripe customer nor an email address`,
      )
      .waitFor();
    expect(await failedRow.textContent()).toContain('Failed');
    await expect.poll(() => failedRetry.isEnabled()).toBe(true);
    await admin.unroute(retryRoute);
    await expectNoAxeViolations(admin, { include: '.admin-section' });

    // Only the failed ones; the filter is kept in the address.
    await section.getByLabel('Status').selectOption('failed');
    await expect.poll(() => ignoredRow.count()).toBe(0);
    await expect.poll(() => refundRow.count()).toBe(0);
    expect(await failedRow.count()).toBe(1);
    expect(admin.url()).toContain('webhooks=failed');
    await section.getByText('1 failed event shown.').waitFor();
    // The charge and both refund events are processed now.
    await section.getByLabel('Status').selectOption('processed');
    await section.getByText('3 processed events shown.').waitFor();
    expect(await refundRow.count()).toBe(1);
    expect(await failedRow.count()).toBe(0);
  });
});

async function refund(page: Page, payment: ReturnType<Page['locator']>, amount: string, reason: string): Promise<void> {
  await payment.getByRole('button', { name: /^Refund payment of/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund' });
  const field = dialog.getByLabel('Amount (EUR)');
  // The dialog focuses the amount, prefilled with the refundable amount.
  await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await field.inputValue()).toBe('120.00');
  await field.fill(amount);
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
}
