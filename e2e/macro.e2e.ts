import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiOk, apiSignIn } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

/**
 * Macros in Chromium on the demo workspace: an SLA policy pair whose first-reply target depends
 * on the priority (urgent 30 min, normal 8 h), a case at normal priority and a shared macro that
 * escalates it. The agent applies the macro from the composer by searching for it, sees the
 * reply rendered into the composer, the priority and the SLA badge change, sends the reply and
 * sees the first reply met.
 */
describe('macros in Chromium', () => {
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

  it('applies a macro from the composer: reply rendered, priority and SLA target changed, reply meets the first reply', async () => {
    const stamp = Date.now();
    const tag = `macro-e2e-${stamp}`;
    const admin = await apiSignIn(baton.url, 'admin@demo.test');

    // Two policies for this test's cases (tagged), by priority, tried before the demo's ones.
    const base = { time_basis: 'calendar', warning_minutes: 0 };
    const urgent = await apiOk<{ id: string }>(baton.url, admin, 'POST', '/sla-policies', {
      ...base,
      name: `Urgent ${stamp}`,
      conditions: { case_tags: [tag], priority: ['urgent'] },
      targets: { first_reply_minutes: 30, resolution_minutes: 240 },
    });
    const normal = await apiOk<{ id: string }>(baton.url, admin, 'POST', '/sla-policies', {
      ...base,
      name: `Normal ${stamp}`,
      conditions: { case_tags: [tag], priority: ['normal'] },
      targets: { first_reply_minutes: 480, resolution_minutes: 2880 },
    });
    const all = await apiOk<{ data: { id: string }[] }>(baton.url, admin, 'GET', '/sla-policies?limit=100');
    const others = all.data.map((p) => p.id).filter((id) => id !== urgent.id && id !== normal.id);
    await apiOk(baton.url, admin, 'PUT', '/sla-policies/order', { policy_ids: [urgent.id, normal.id, ...others] });

    const macroName = `Escalate billing ${stamp}`;
    await apiOk(baton.url, admin, 'POST', '/macros', {
      name: macroName,
      shared: true,
      description: 'Urgent billing escalation',
      body: 'Hi {{customer.first_name}},\n\nwe escalated case #{{case.number}} to our billing specialists.',
      changes: { priority: 'urgent', add_tags: ['escalated'] },
    });

    const ana = await apiSignIn(baton.url, 'ana@demo.test');
    const kase = await apiOk<{ id: string; number: number }>(baton.url, ana, 'POST', '/cases', {
      customer: { email: `macro.${stamp}@customers.example`, name: 'Greta Garbo' },
      subject: `Double charge ${stamp}`,
      category: 'billing',
      channel: 'email',
      priority: 'normal',
      tags: [tag],
      message: { body: 'I was charged twice this month.' },
    });

    const page = await signIn(browser, baton.url, 'ana@demo.test');
    await page.goto(`${baton.url}/app/cases/${kase.number}`);
    const panel = page.getByRole('region', { name: /^SLA/ });
    const firstReply = panel.locator('[data-testid="sla-target"][data-metric="first_reply"]');
    // The clock starts in the event listener, a moment after the case is created.
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 20_000 }).toContain(`Normal ${stamp}`);
    await firstReply.waitFor();
    expect(await firstReply.getAttribute('data-state')).toBe('running');
    expect(await firstReply.textContent()).toMatch(/(7 h 5\d min|8 h) left/);

    // Search the macro in the composer's list; the focused one is previewed for this case.
    await page.getByRole('tab', { name: 'Reply' }).click();
    await page.getByRole('button', { name: 'Macros', exact: true }).click();
    const search = page.getByRole('combobox', { name: 'Search macros' });
    await search.fill(`escalate billing ${stamp}`);
    const option = page.getByRole('option', { name: new RegExp(`Escalate billing ${stamp}`) });
    await option.waitFor();
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
    const preview = page.getByTestId('macro-preview');
    await expect.poll(async () => (await preview.textContent()) ?? '', { timeout: 10_000 }).toContain('Hi Greta,');
    expect(await preview.textContent()).toContain('Priority → Urgent');
    await expectNoAxeViolations(page, { include: '[data-testid="macro-picker"]' });
    // Previewing changed nothing yet.
    expect(await page.locator('.case-header__meta').textContent()).toContain('Normal');

    // Enter applies it: the composer holds the rendered reply, the case is urgent.
    await search.press('Enter');
    await page.getByTestId('macro-picker').waitFor({ state: 'detached' });
    const message = page.getByLabel('Message', { exact: true });
    await expect.poll(() => message.inputValue()).toBe(`Hi Greta,\n\nwe escalated case #${kase.number} to our billing specialists.`);
    await expect.poll(async () => (await page.locator('.case-header__meta').textContent()) ?? '').toContain('Urgent');

    // The SLA panel follows the new priority: the urgent policy's 30-minute first reply.
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 20_000 }).toContain(`Urgent ${stamp}`);
    await expect.poll(async () => (await firstReply.textContent()) ?? '', { timeout: 20_000 }).toMatch(/(29|30) min left/);
    expect(await firstReply.getAttribute('data-state')).toBe('running');
    // The history names the macro.
    await expect
      .poll(async () => (await page.getByRole('region', { name: 'History', exact: true }).textContent()) ?? '', { timeout: 10_000 })
      .toContain(`Applied macro “${macroName}”`);

    // The agent edits nothing and sends: the first reply is met.
    await page.getByRole('button', { name: /^Send as/ }).click();
    await expect.poll(() => firstReply.getAttribute('data-state'), { timeout: 20_000 }).toBe('met');
    expect(await firstReply.textContent()).toContain('Met');
    await expect.poll(() => message.inputValue()).toBe('');
    await expectNoAxeViolations(page, { include: '.sla-panel' });

    // The agent keeps personal macros on the Macros page; an unknown placeholder is refused at its field.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Macros', exact: true }).click();
    await page.getByRole('heading', { name: 'Macros', level: 1 }).waitFor();
    await page.getByRole('row', { name: new RegExp(macroName) }).waitFor();
    // Shared macros are the supervisors': the agent may not edit them.
    expect(await page.getByRole('button', { name: `Edit ${macroName}` }).count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'New macro' }).click();
    const dialog = page.getByRole('dialog', { name: 'New macro' });
    await dialog.waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill(`My thanks ${stamp}`);
    const reply = dialog.getByLabel('Reply', { exact: true });
    await reply.fill('Thanks {{customer.nickname}}! ');
    await dialog.getByLabel('Priority').selectOption('low');
    await expectNoAxeViolations(page, { include: 'dialog[open]' });
    await dialog.getByRole('button', { name: 'Save macro' }).click();
    await expect.poll(() => reply.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    expect(await dialog.getByRole('alert').first().textContent()).toContain('{{customer.nickname}}');
    await reply.fill('Thanks ');
    await dialog.getByRole('button', { name: /^\{\{customer\.first_name\}\}/ }).click();
    expect(await reply.inputValue()).toBe('Thanks {{customer.first_name}}');
    await dialog.getByRole('button', { name: 'Save macro' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(`My thanks ${stamp}`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Personal');
    await page.getByLabel('Search macros').fill(`thanks ${stamp}`);
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
  });
});
