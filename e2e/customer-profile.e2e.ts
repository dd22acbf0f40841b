import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from './support/agent.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

interface CustomerJson {
  id: string;
  emails: { value: string; is_primary: boolean }[];
  postal_address: Record<string, string> | null;
}

/** An agent keeps a customer's profile up to date: identities, primary email, postal address. */
describe('customer profile in Chromium', () => {
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

  it('adds a second email, makes it primary, edits the address and refuses an email another customer has', async () => {
    const page = await signIn(browser, baton.url, 'ana@demo.test');

    // Open a customer from the Customers list.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Customers/ })
      .click();
    const row = page.getByTestId('customer-row').first();
    await row.waitFor();
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/app\/customers\/[0-9a-f-]{36}$/);
    const customerId = new URL(page.url()).pathname.split('/').pop()!;
    const identities = page.getByRole('region', { name: 'Email addresses and phone numbers' });
    await identities.getByRole('heading', { name: 'Email addresses', exact: true }).waitFor();

    // Add a second email address.
    const secondEmail = `second-${Date.now()}@example.org`;
    await page.getByLabel('New email address').fill(secondEmail);
    await page.getByRole('button', { name: 'Add email address' }).click();
    const added = page.getByTestId('identity').filter({ hasText: secondEmail });
    await added.waitFor();
    expect(await added.getAttribute('data-primary')).toBe('false');
    expect(await page.getByLabel('New email address').inputValue()).toBe('');

    // Make it the primary one: the badge moves, and focus stays on its row.
    await added.getByRole('button', { name: `Make primary ${secondEmail}` }).click();
    await expect.poll(() => added.getAttribute('data-primary')).toBe('true');
    expect(await page.locator('[data-testid="identity"][data-primary="true"]').filter({ hasText: '@' }).count()).toBe(1);
    await expect.poll(() => added.evaluate((el) => el === document.activeElement)).toBe(true);

    // Edit the postal address.
    await page.getByLabel('Street and number').fill('12 Harbour Road');
    await page.getByLabel('Address line 2 (optional)').fill('Floor 3');
    await page.getByLabel('Postal code').fill('20457');
    await page.getByLabel('City', { exact: true }).fill('Hamburg');
    await page.getByLabel('Region or state (optional)').fill('Hamburg');
    await page.getByLabel('Country', { exact: true }).selectOption('DE');
    await page.getByRole('button', { name: 'Save address' }).click();
    await page.getByRole('status').filter({ hasText: 'Postal address saved.' }).waitFor();

    // After a reload the page shows what the server stored.
    await page.reload();
    await page.getByLabel('Street and number').waitFor();
    expect(await page.getByLabel('Street and number').inputValue()).toBe('12 Harbour Road');
    expect(await page.getByLabel('Address line 2 (optional)').inputValue()).toBe('Floor 3');
    expect(await page.getByLabel('Postal code').inputValue()).toBe('20457');
    expect(await page.getByLabel('City', { exact: true }).inputValue()).toBe('Hamburg');
    expect(await page.getByLabel('Country', { exact: true }).inputValue()).toBe('DE');
    const reloaded = page.getByTestId('identity').filter({ hasText: secondEmail });
    expect(await reloaded.getAttribute('data-primary')).toBe('true');
    expect(await reloaded.textContent()).toContain('Primary');
    await expectNoAxeViolations(page);

    const stored = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/customers/${id}`);
      return (await res.json()) as CustomerJson;
    }, customerId);
    expect(stored.emails.find((e) => e.is_primary)?.value).toBe(secondEmail);
    expect(stored.postal_address).toEqual({
      line1: '12 Harbour Road',
      line2: 'Floor 3',
      city: 'Hamburg',
      region: 'Hamburg',
      postal_code: '20457',
      country: 'DE',
    });

    // An email address another demo customer has is refused, next to the field.
    const taken = await page.evaluate(async (id) => {
      const res = await fetch('/api/v1/customers?limit=20');
      const body = (await res.json()) as { data: CustomerJson[] };
      return body.data.find((c) => c.id !== id && c.emails.length > 0)!.emails[0]!.value;
    }, customerId);
    const field = page.getByLabel('New email address');
    await field.fill(taken);
    await page.getByRole('button', { name: 'Add email address' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'already taken' });
    await error.waitFor();
    expect(await error.textContent()).toContain(taken);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const errorId = await error.getAttribute('id');
    expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    // The refused address did not join this customer.
    expect(await page.getByTestId('identity').filter({ hasText: taken }).count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
