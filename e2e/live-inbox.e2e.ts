import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiOk, apiSignIn, type ApiSession } from './support/api.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

/**
 * The live inbox keeps what the agent loaded: after "Load more cases", a case arriving live
 * refreshes the list without dropping the second page.
 */
describe('live inbox in Chromium', () => {
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

  const newCase = (admin: ApiSession, tag: string, n: number) =>
    apiOk(baton.url, admin, 'POST', '/cases', {
      customer: { email: `inbox.${tag}.${n}@customers.example`, name: `Inbox Customer ${n}` },
      subject: `Live inbox ${tag} ${n}`,
      category: 'general',
      channel: 'email',
      tags: [tag],
      message: { body: 'Checking the live inbox.' },
    });

  it('refreshes live without dropping the pages the agent loaded', async () => {
    const tag = `live-inbox-${Date.now()}`;
    const admin = await apiSignIn(baton.url, 'admin@demo.test');
    // More than one page (50) of this test's cases.
    for (let i = 0; i < 55; i++) await newCase(admin, tag, i);

    const page = await signIn(browser, baton.url, 'admin@demo.test');
    await page.goto(`${baton.url}/app/?tags=${tag}`);
    const rows = page.getByTestId('case-row');
    await expect.poll(() => rows.count()).toBe(50);
    await page.locator('.live-status[data-state="open"]').waitFor();
    await page.getByRole('button', { name: 'Load more cases' }).click();
    await expect.poll(() => rows.count()).toBe(55);

    // A new case arrives: the list refreshes live and still shows everything loaded, plus it.
    await newCase(admin, tag, 55);
    await rows.filter({ hasText: `Live inbox ${tag} 55` }).waitFor();
    expect(await rows.count()).toBe(56);
  });
});
