import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from './support/agent.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

/** The agent's day: sign in, open the inbox, open a case, reply, solve (on the demo workspace). */
describe('agent desk in Chromium', () => {
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

  it('refuses a wrong password with a clear message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baton.url}/app/login`);
    await page.getByLabel('Email').fill('ana@demo.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or password is not correct.');
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('signs in, opens a case from the inbox, replies and solves it', async () => {
    const page = await signIn(browser, baton.url, 'ana@demo.test');
    await page.getByTestId('case-row').first().waitFor();
    await expectNoAxeViolations(page);

    // Open the first case in "All open cases" (the demo has many).
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /^All open cases/ }).click();
    const row = page.getByTestId('case-row').first();
    await row.waitFor();
    const number = await row.getAttribute('data-case-number');
    expect(number).toMatch(/^\d+$/);
    await row.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`/app/cases/${number}$`));
    await page.getByTestId('message').first().waitFor();
    await expectNoAxeViolations(page);

    // Reply publicly and keep the case open.
    const before = await page.getByTestId('message').count();
    await page.getByRole('tab', { name: 'Reply' }).click();
    const reply = `We have refunded the duplicate charge (reference e2e-${Date.now()}).`;
    await page.getByLabel('Message', { exact: true }).fill(reply);
    await page.getByLabel('Status after sending').selectOption('open');
    await page.getByRole('button', { name: 'Send as Open' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(before + 1);
    await expect.poll(() => page.getByTestId('message').last().textContent()).toContain(reply);
    expect(await page.getByTestId('message').last().getAttribute('data-visibility')).toBe('public');

    // An internal note stays internal.
    await page.getByRole('tab', { name: 'Internal note' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Checked with the processor: duplicate authorisation.');
    await page
      .getByRole('button', { name: /^Add note|^Send as/ })
      .first()
      .click();
    await expect.poll(() => page.locator('[data-testid="message"][data-visibility="internal"]').count()).toBeGreaterThan(0);

    // Solve with the button in the header.
    await page.getByRole('button', { name: 'Solve case' }).click();
    await expect.poll(() => page.getByLabel('Status', { exact: true }).inputValue()).toBe('solved');

    // The API agrees: the case is solved and holds the reply.
    const state = await page.evaluate(async (n) => {
      const res = await fetch(`/api/v1/cases/${n}`);
      return (await res.json()) as { status: string };
    }, number);
    expect(state.status).toBe('solved');
    await page.context().close();
  });

  it('answers the keyboard: g i goes to the inbox, ? lists the shortcuts', async () => {
    const page = await signIn(browser, baton.url, 'ben@demo.test');
    await page
      .getByRole('link', { name: /^Customers/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('body').click();
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await page.keyboard.press('Shift+?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
