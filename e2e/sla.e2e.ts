import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiCall as api, apiSignIn } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/**
 * SLAs in Chromium on the demo workspace: an admin sets up business hours (a server refusal lands
 * on the field it names) and a policy for phone cases (moved to the top), an agent opens a phone
 * case and sees its first-reply target count down, replies, and sees it met.
 */
describe('SLA in Chromium', () => {
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

  it('an admin sets up business hours and a policy; the agent sees the badge and meets the first reply', async () => {
    const stamp = Date.now();
    const admin = await signIn(browser, baton.url, 'admin@demo.test');

    // Business hours: the demo's schedules are listed; an overlapping range is refused at its field.
    await nav(admin).getByRole('link', { name: 'Business hours', exact: true }).click();
    await admin.getByRole('heading', { name: 'Business hours', level: 1 }).waitFor();
    await admin.getByRole('heading', { name: /Berlin office hours/ }).waitFor();
    await expectNoAxeViolations(admin);
    await admin.getByRole('button', { name: 'New business hours' }).click();
    const hours = admin.getByRole('dialog', { name: 'New business hours' });
    await hours.waitFor();
    await hours.getByLabel('Name', { exact: true }).fill(`Lisbon desk ${stamp}`);
    await hours.getByLabel('Time zone').selectOption('Europe/Lisbon');
    // A second Monday opening (13:00-17:00 by default) overlaps 09:00-17:00: the server says where.
    await hours
      .getByRole('group', { name: 'Monday' })
      .getByRole('button', { name: /^Add hours/ })
      .click();
    await hours.getByRole('button', { name: 'Add a holiday' }).click();
    await hours.getByLabel('Holiday 1', { exact: true }).selectOption('recurring');
    await hours.getByLabel('Month of holiday 1', { exact: true }).selectOption('6');
    await hours.getByLabel('Day of holiday 1', { exact: true }).selectOption('13');
    await hours.getByLabel('Name of holiday 1 (optional)', { exact: true }).fill('Saint Anthony');
    await expectNoAxeViolations(admin, { include: 'dialog[open]' });
    await hours.getByRole('button', { name: 'Create business hours' }).click();
    const secondOpening = hours.getByLabel('Monday, opening 2: from', { exact: true });
    await expect.poll(() => secondOpening.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    expect(await hours.getByRole('alert').first().textContent()).toContain('overlaps');
    expect(await hours.getByLabel('Monday, opening 1: from', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    await hours
      .getByRole('group', { name: 'Monday' })
      .getByRole('button', { name: /^Remove Monday, opening 2/ })
      .click();
    await hours.getByRole('button', { name: 'Create business hours' }).click();
    await hours.waitFor({ state: 'hidden' });
    const lisbon = admin.getByRole('region', { name: `Lisbon desk ${stamp}` });
    await lisbon.waitFor();
    expect(await lisbon.textContent()).toContain('Europe/Lisbon');
    expect(await lisbon.textContent()).toContain('Saint Anthony');

    // The Support team works to them: they cannot be deleted until it no longer does.
    await admin.getByLabel('Business hours of Support', { exact: true }).selectOption({ label: `Lisbon desk ${stamp}` });
    await expect.poll(async () => (await lisbon.textContent()) ?? '').toContain('Teams: Support');
    await lisbon.getByRole('button', { name: /^Delete/ }).click();
    const confirm = admin.getByRole('dialog', { name: `Delete “Lisbon desk ${stamp}”?` });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.getByRole('alert').filter({ hasText: 'still use these business hours' }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await admin.getByLabel('Business hours of Support', { exact: true }).selectOption({ label: 'Support hours (New York)' });
    await expect.poll(async () => (await lisbon.textContent()) ?? '').toContain('No team works to these hours.');
    await lisbon.getByRole('button', { name: /^Delete/ }).click();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await lisbon.waitFor({ state: 'detached' });

    // A policy for phone cases, 2 hours to the first reply in calendar time.
    await nav(admin).getByRole('link', { name: 'SLA policies', exact: true }).click();
    await admin.getByRole('heading', { name: 'SLA policies', level: 1 }).waitFor();
    await admin.getByTestId('sla-policy').first().waitFor();
    const before = await admin.getByTestId('sla-policy').count();
    await admin.getByRole('button', { name: 'New SLA policy' }).click();
    const form = admin.getByRole('dialog', { name: 'New SLA policy' });
    await form.waitFor();
    const name = `Phone line ${stamp}`;
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByRole('group', { name: 'Channel' }).getByLabel('Phone').check();
    await form.getByLabel('First reply', { exact: true }).fill('2');
    await form.getByLabel('Resolution', { exact: true }).fill('90');
    await form.getByLabel('Unit of Resolution').selectOption('minutes');
    await form.getByLabel('Calendar time (24x7)').check();
    // A breach notification without recipients is refused by the server, shown at that action.
    await form.getByRole('button', { name: 'Add an action (At the breach)' }).click();
    await form.getByLabel('The assignee').uncheck();
    await expectNoAxeViolations(admin, { include: 'dialog[open]' });
    await form.getByRole('button', { name: 'Create policy' }).click();
    const action = form.getByLabel('Action 1');
    await expect.poll(() => action.getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    expect(await form.getByTestId('escalation-action').getByRole('alert').textContent()).toContain('notify');
    await form.getByLabel('The assignee').check();
    await form.getByRole('button', { name: 'Create policy' }).click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => admin.getByTestId('sla-policy').count()).toBe(before + 1);
    expect(await admin.getByTestId('sla-policy').last().textContent()).toContain(name);

    // Tried last, the catch-all "Standard" would win: move it to the top.
    const positionOf = async () => (await admin.getByTestId('sla-policy').allTextContents()).findIndex((text) => text.includes(name));
    for (let i = 1; i <= before; i++) {
      await admin.getByRole('button', { name: `Move up ${name}` }).click();
      await expect.poll(positionOf).toBe(before - i);
    }
    expect(await admin.getByRole('button', { name: `Move up ${name}` }).isDisabled()).toBe(true);
    // Editing opens with the saved values (2 hours, 90 minutes, calendar time) and saves the change.
    await admin.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = admin.getByRole('dialog', { name: `Edit ${name}` });
    await edit.waitFor();
    expect(await edit.getByLabel('First reply', { exact: true }).inputValue()).toBe('2');
    expect(await edit.getByLabel('Unit of First reply').inputValue()).toBe('hours');
    expect(await edit.getByLabel('Resolution', { exact: true }).inputValue()).toBe('90');
    expect(await edit.getByLabel('Unit of Resolution').inputValue()).toBe('minutes');
    expect(await edit.getByLabel('Calendar time (24x7)').isChecked()).toBe(true);
    await edit.getByLabel('First reply', { exact: true }).fill('1.5');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await admin.getByTestId('sla-policy').first().textContent()) ?? '').toContain('First reply: 1 h 30 min');
    await admin.getByRole('button', { name: `Edit ${name}` }).click();
    await edit.getByLabel('First reply', { exact: true }).fill('2');
    await edit.getByLabel('Unit of First reply').selectOption('hours');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await admin.getByTestId('sla-policy').first().textContent()) ?? '').toContain('First reply: 2 h');

    await admin.getByRole('region', { name: 'SLA attainment' }).getByTestId('sla-report-row').first().waitFor();
    await expectNoAxeViolations(admin);
    await admin.context().close();

    // The agent's phone case counts down to its first reply.
    const session = await apiSignIn(baton.url, 'ana@demo.test');
    const created = await api<{ id: string; number: number }>(baton.url, session, 'POST', '/cases', {
      customer: { email: `caller.${stamp}@customers.example`, name: 'Caller Example' },
      subject: `Phone call about the router ${stamp}`,
      category: 'technical',
      channel: 'phone',
      message: { body: 'The customer called: the router keeps restarting.' },
    });
    expect(created.status).toBe(201);
    const agent = await signIn(browser, baton.url, 'ana@demo.test');
    await agent.goto(`${baton.url}/app/cases/${created.body.number}`);
    const panel = agent.getByRole('region', { name: /^SLA/ });
    const firstReply = panel.locator('[data-testid="sla-target"][data-metric="first_reply"]');
    // The clock starts in the event listener, a moment after the case is created.
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 20_000 }).toContain(name);
    await firstReply.waitFor();
    expect(await firstReply.getAttribute('data-state')).toBe('running');
    expect(await firstReply.textContent()).toMatch(/On track/);
    expect(await firstReply.textContent()).toMatch(/(1 h 5\d min|2 h) left/);
    expect(await panel.textContent()).toContain('Counts calendar time');
    const resolution = panel.locator('[data-testid="sla-target"][data-metric="resolution"]');
    expect(await resolution.textContent()).toMatch(/(1 h 2\d min|1 h 30 min) left/);
    await expectNoAxeViolations(agent, { include: '.sla-panel' });

    // The agent replies: the first reply is met.
    await agent.getByRole('tab', { name: 'Reply' }).click();
    await agent.getByLabel('Message', { exact: true }).fill(`We are sending a replacement router (${stamp}).`);
    await agent.getByLabel('Status after sending').selectOption('open');
    await agent.getByRole('button', { name: 'Send as Open' }).click();
    await expect.poll(() => firstReply.getAttribute('data-state'), { timeout: 20_000 }).toBe('met');
    expect(await firstReply.textContent()).toContain('Met');
    expect(await firstReply.textContent()).toMatch(/Took/);
    expect(await resolution.getAttribute('data-state')).toBe('running');
    await expectNoAxeViolations(agent, { include: '.sla-panel' });

    // Putting the case on hold pauses the resolution clock (a policy pause status).
    await agent.getByLabel('Status', { exact: true }).selectOption('on_hold');
    await expect.poll(() => resolution.getAttribute('data-state'), { timeout: 20_000 }).toBe('paused');
    expect(await resolution.textContent()).toContain('Paused');

    // With a 30-minute first reply, a new phone case is breaching within the hour.
    const adminApi = await apiSignIn(baton.url, 'admin@demo.test');
    const policies = await api<{ data: { id: string; name: string }[] }>(baton.url, adminApi, 'GET', '/sla-policies');
    const policyId = policies.body.data.find((p) => p.name === name)!.id;
    expect((await api(baton.url, adminApi, 'PATCH', `/sla-policies/${policyId}`, { targets: { first_reply_minutes: 30 } })).status).toBe(
      200,
    );
    const urgent = await api<{ id: string; number: number }>(baton.url, session, 'POST', '/cases', {
      customer: { email: `caller2.${stamp}@customers.example`, name: 'Second Caller' },
      subject: `Line down ${stamp}`,
      category: 'technical',
      channel: 'phone',
      message: { body: 'The line is down.' },
    });
    expect(urgent.status).toBe(201);

    // The SLA views open from the side navigation and pass the accessibility check.
    await nav(agent)
      .getByRole('link', { name: /^Breaching in the next hour/ })
      .click();
    await agent.getByRole('heading', { name: 'Breaching in the next hour', level: 1 }).waitFor();
    const soonRow = agent.locator(`[data-testid="sla-case-row"][data-case-number="${urgent.body.number}"]`);
    await expect
      .poll(
        async () => {
          if ((await soonRow.count()) > 0) return true;
          await agent.getByRole('button', { name: 'Refresh' }).click();
          return false;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await soonRow.textContent()).toContain(`Line down ${stamp}`);
    expect(await soonRow.textContent()).toContain('First reply');
    expect(await soonRow.textContent()).toMatch(/Due in (29|30) min/);
    await expectNoAxeViolations(agent);
    await nav(agent)
      .getByRole('link', { name: /^SLA breached/ })
      .click();
    await agent.getByRole('heading', { name: 'SLA breached', level: 1 }).waitFor();
    await expect
      .poll(async () => (await agent.locator('.list-toolbar__count').textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/Showing/);
    // The demo's open cases carry breaches from their history; pages of 25 load more on demand.
    const rows = agent.getByTestId('sla-case-row');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toMatch(/Overdue by/);
    const loadMore = agent.getByRole('button', { name: 'Load more' });
    if ((await loadMore.count()) > 0) {
      const shown = await rows.count();
      await loadMore.click();
      await expect.poll(() => rows.count()).toBeGreaterThan(shown);
    }
    await expectNoAxeViolations(agent);

    // Under ten minutes the time left counts down by the second, without reloading.
    expect((await api(baton.url, adminApi, 'PATCH', `/sla-policies/${policyId}`, { targets: { first_reply_minutes: 5 } })).status).toBe(
      200,
    );
    const quick = await api<{ number: number }>(baton.url, session, 'POST', '/cases', {
      customer: { email: `caller3.${stamp}@customers.example`, name: 'Third Caller' },
      subject: `Quick callback ${stamp}`,
      category: 'technical',
      channel: 'phone',
      message: { body: 'Please call back.' },
    });
    expect(quick.status).toBe(201);
    await agent.goto(`${baton.url}/app/cases/${quick.body.number}`);
    const quickTarget = panel.locator('[data-testid="sla-target"][data-metric="first_reply"]');
    await quickTarget.waitFor({ timeout: 20_000 });
    const detail = quickTarget.locator('.sla-target__detail');
    const first = (await detail.textContent()) ?? '';
    expect(first).toMatch(/^[45] min( \d+ s)? left$/);
    await expect.poll(async () => (await detail.textContent()) ?? '', { timeout: 5_000 }).not.toBe(first);
  });
});
