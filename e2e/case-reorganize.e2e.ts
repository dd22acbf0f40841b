import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIn } from './support/agent.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

interface CaseJson {
  id: string;
  number: number;
  status: string;
  merged_into_id: string | null;
}

/** An agent splits a second question off a case, then merges it back (on the demo workspace). */
describe('splitting and merging cases in Chromium', () => {
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

  it('splits one message into a new case and merges that case back into the original', async () => {
    const page = await signIn(browser, baton.url, 'ana@demo.test');

    // An open demo case: the customer wrote and an agent answered, so it holds at least two messages.
    const original = await page.evaluate(async () => {
      const res = await fetch('/api/v1/cases?status=open&limit=1');
      return ((await res.json()) as { data: CaseJson[] }).data[0]!;
    });
    await page.goto(`${baton.url}/app/cases/${original.number}`);
    const messages = page.getByTestId('message');
    await messages.nth(1).waitFor();
    const before = await messages.count();
    const moving = messages.last();
    const messageId = (await moving.getAttribute('data-message-id'))!;
    const body = (await moving.locator('.message__body').textContent())!;
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    // Split mode: select the message, then name the new case.
    await page.getByRole('button', { name: 'Split messages' }).click();
    const bar = page.getByRole('region', { name: 'Split messages' });
    await bar.waitFor();
    await moving.getByRole('checkbox', { name: /^Select message from/ }).check();
    await expect.poll(() => bar.getByRole('status').textContent()).toContain('1 message selected.');
    await bar.getByRole('button', { name: 'Split into a new case…' }).click();
    const splitDialog = page.getByRole('dialog', { name: `Split case #${original.number}` });
    await splitDialog.waitFor();
    const subjectField = splitDialog.getByLabel('Subject of the new case');
    await expect.poll(() => subjectField.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, { include: 'dialog[open]' });
    const subject = `Second question e2e-${Date.now()}`;
    await subjectField.fill(subject);
    await splitDialog.getByRole('button', { name: 'Create the new case' }).click();

    // The new case's page holds the message.
    await page.waitForURL((url) => {
      const match = /\/app\/cases\/(\d+)$/.exec(url.pathname);
      return match !== null && match[1] !== String(original.number);
    });
    const newNumber = Number(/\/cases\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    await page.getByRole('heading', { level: 1, name: new RegExp(subject) }).waitFor();
    await expect.poll(() => page.locator(`[data-testid="message"][data-message-id="${messageId}"]`).count()).toBe(1);
    expect(await messages.count()).toBe(1);
    expect(await page.locator('.message__body').first().textContent()).toBe(body);
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.textContent()).toContain(`Split from case #${original.number}`);

    // Merge it back: this (new) case is the one to be closed.
    await page.getByRole('button', { name: 'Merge…' }).click();
    const mergeDialog = page.getByRole('dialog', { name: 'Merge cases' });
    await mergeDialog.waitFor();
    await mergeDialog.getByRole('radio', { name: /^Merge this case into another one/ }).check();
    await mergeDialog.getByLabel('Number of the other case').fill(String(original.number));
    await mergeDialog.getByRole('button', { name: 'Continue' }).click();
    const summary = mergeDialog.getByTestId('merge-confirm');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(`Case #${newNumber} “${subject}” will be closed.`);
    await expectNoAxeViolations(page, { include: 'dialog[open]' });
    await mergeDialog.getByRole('button', { name: `Merge and close #${newNumber}` }).click();

    // Back on the original, which holds the message again; focus starts at its heading.
    await page.waitForURL(new RegExp(`/app/cases/${original.number}$`));
    await page.locator(`[data-testid="message"][data-message-id="${messageId}"]`).waitFor();
    // The moved message plus the system note "Merged from #N".
    await expect.poll(() => messages.count()).toBe(before + 1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await expect.poll(() => history.textContent()).toContain(`Case #${newNumber} merged into this one`);
    expect(await history.textContent()).toContain(`Messages split into case #${newNumber}`);
    await expectNoAxeViolations(page);

    // The new case is closed and says where it went.
    const merged = await page.evaluate(async (n) => {
      const res = await fetch(`/api/v1/cases/${n}`);
      return (await res.json()) as CaseJson;
    }, newNumber);
    expect(merged.status).toBe('closed');
    expect(merged.merged_into_id).toBe(original.id);
    await page.goto(`${baton.url}/app/cases/${newNumber}`);
    await expect.poll(() => history.textContent()).toContain(`Merged into case #${original.number}`);
    expect(await page.getByRole('button', { name: 'Merge…' }).count()).toBe(0);
    expect(await messages.count()).toBe(0);
    await page.context().close();
  });
});
