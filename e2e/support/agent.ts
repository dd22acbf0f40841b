import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';

export const DEMO_PASSWORD = 'baton-demo';

/** Signs in through the login page in a fresh browser context; lands on the inbox. */
export async function signIn(browser: Browser, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/app/`);
  await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  expect(page.url()).toContain('/app/');
  return page;
}
