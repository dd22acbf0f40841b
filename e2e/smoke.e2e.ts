import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

describe('smoke: the built server starts and serves pages to a real browser', () => {
  let baton: BatonUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    baton = await startBatonForTest();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await baton?.stop();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${baton.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('renders the API documentation in Chromium', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${baton.url}/api/v1/docs`);
    expect(response?.status()).toBe(200);
    // Swagger UI renders the OpenAPI document's title once it has fetched and parsed it.
    await expect.poll(() => page.locator('.info .title').first().textContent(), { timeout: 20_000 }).toContain('Baton API');
    await page.close();
  });
});
