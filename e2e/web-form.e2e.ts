import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from './support/agent.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

/**
 * The customer journey through the web form: submit a request, see the case number, the agent
 * sees the case and replies, the customer reads the reply on the status page and answers.
 */
describe('web form to agent and back, in Chromium', () => {
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

  it('opens a case from /help, which the agent answers and the customer reads on the status page', async () => {
    // bypassCSP only lets axe inject its script: the customer pages forbid inline scripts.
    const customerContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
    const customer = await customerContext.newPage();
    await customer.goto(`${baton.url}/help`);
    await customer.getByRole('heading', { name: 'Contact us' }).waitFor();
    await expectNoAxeViolations(customer);

    const marker = `e2e${Date.now()}`;
    await customer.getByLabel(/Your name/).fill('Rosa Weber');
    await customer.getByLabel(/Email address/).fill(`rosa.${marker}@example.com`);
    await customer.getByLabel(/Topic/).selectOption('billing');
    await customer.getByLabel(/Subject/).fill(`Charged twice ${marker}`);
    await customer.getByLabel(/^Message/).fill('My card was charged twice for invoice INV-2026-1187. Please refund one.');
    // A small attachment: the invoice as text.
    await customer
      .getByLabel(/Attachments/)
      .setInputFiles({ name: 'invoice.txt', mimeType: 'text/plain', buffer: Buffer.from('INV-2026-1187 49.00 EUR') });
    await customer.getByRole('button', { name: 'Send request' }).click();

    await customer.getByRole('heading', { name: 'Thank you, we received your request' }).waitFor();
    const confirmation = (await customer.locator('main').textContent()) ?? '';
    const number = /#(\d+)/.exec(confirmation)?.[1];
    expect(number).toBeDefined();
    const statusUrl = await customer.locator('.status-link a').getAttribute('href');
    expect(statusUrl).toMatch(/\/help\/status\/[A-Za-z0-9_-]{43}$/);
    await expectNoAxeViolations(customer);

    // The agent finds the new case by searching its subject, and answers.
    const agent = await signIn(browser, baton.url, 'ana@demo.test');
    await agent.goto(`${baton.url}/app/cases/${number}`);
    await agent.getByRole('heading', { name: new RegExp(`Charged twice ${marker}`) }).waitFor();
    await expect.poll(() => agent.getByTestId('message').first().textContent()).toContain('INV-2026-1187');
    await expect.poll(() => agent.getByRole('link', { name: /invoice\.txt/ }).count()).toBe(1);
    await agent.getByRole('tab', { name: 'Reply' }).click();
    const reply = `Thank you Rosa, the duplicate charge is refunded (${marker}).`;
    await agent.getByLabel('Message', { exact: true }).fill(reply);
    await agent.getByLabel('Status after sending').selectOption('pending');
    await agent.getByRole('button', { name: 'Send as Pending' }).click();
    await expect.poll(() => agent.getByTestId('message').last().textContent()).toContain(reply);

    // The customer reads the reply on the status page, without a password.
    await customer.goto(statusUrl!.startsWith('http') ? statusUrl! : `${baton.url}${statusUrl}`);
    await customer.getByRole('heading', { name: `Request #${number}` }).waitFor();
    expect(await customer.locator('main').textContent()).toContain(reply);
    expect(await customer.locator('main').textContent()).toContain('Waiting for your reply');
    await expectNoAxeViolations(customer);

    // ... and answers there; the case reopens for the agent.
    await customer.getByLabel('Your reply').fill('Thanks, I can see the refund now.');
    await customer.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(async () => (await customer.locator('main').textContent()) ?? '').toContain('Thanks, I can see the refund now.');
    await agent.reload();
    await expect.poll(() => agent.getByTestId('message').last().textContent()).toContain('Thanks, I can see the refund now.');
    await expect.poll(() => agent.getByLabel('Status', { exact: true }).inputValue()).toBe('open');

    await customerContext.close();
    await agent.context().close();
  });

  it('refuses a forged status link with a 404 page', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const response = await page.goto(`${baton.url}/help/status/${'A'.repeat(43)}`);
    expect(response?.status()).toBe(404);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
