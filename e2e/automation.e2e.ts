import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiOk, apiSignIn } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

interface PreviewAnswer {
  data: { number: number }[];
  truncated: boolean;
}

/** The preview dialog's words for what the server previews (ScheduledAutomationsPage's PreviewDialog). */
function previewText(preview: PreviewAnswer): string {
  const n = preview.data.length;
  if (n === 0) return 'No case matches now.';
  if (preview.truncated) return `Showing the first ${n}; more may match.`;
  return n === 1 ? '1 case matches now.' : `${n} cases match now.`;
}

/**
 * Issue 6 in Chromium on the demo workspace: an admin builds a trigger in Admin › Triggers and
 * a new case gets its tag; Admin › Automations previews and creates time-based rules; an agent
 * snoozes a case and sets a reminder from the case page and finds it in My reminders; an admin
 * switches on the Regulation Z preset and sets the workspace's follow-up default.
 */
describe('automation and follow-ups in Chromium', () => {
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

  it('an admin creates a trigger in Admin › Triggers; a new billing case gets its tag and the history shows the rule ran', async () => {
    const stamp = Date.now();
    const name = `Tag billing cases ${stamp}`;
    const tag = `e2e-${stamp}`;
    const page = await signIn(browser, baton.url, 'admin@demo.test');

    await nav(page).getByRole('link', { name: 'Triggers', exact: true }).click();
    await page.getByRole('heading', { name: 'Triggers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New trigger' }).waitFor();
    await expect.poll(() => page.getByText('Loading…').count()).toBe(0);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'New trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'New trigger' });
    await dialog.waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Description (optional)').fill('Billing cases get a tag (browser test).');
    const events = dialog.getByRole('group', { name: 'Runs when' });
    // A new trigger starts on "Case created".
    expect(await events.getByLabel('Case created').isChecked()).toBe(true);
    expect(await events.getByLabel('Case updated').isChecked()).toBe(false);

    // Condition: category is billing.
    const all = dialog.getByRole('group', { name: 'All of these conditions' });
    await all.getByRole('button', { name: 'Add condition' }).click();
    await all.getByLabel('Condition 1: field').selectOption({ label: 'Category' });
    await all.getByLabel('Condition 1: operator').selectOption({ label: 'is' });
    await all.getByLabel('Condition 1: value').selectOption({ label: 'Billing' });

    // Action: add the test's tag.
    const actions = dialog.getByRole('group', { name: 'Actions' });
    await actions.getByRole('button', { name: 'Add action' }).click();
    await actions.getByLabel('Action 1', { exact: true }).selectOption({ label: 'Add tags' });
    await actions.getByLabel('Tags (comma separated)').fill(tag);
    await expectNoAxeViolations(page, { include: 'dialog[open]' });

    await dialog.getByRole('button', { name: 'Create trigger' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('region', { name: new RegExp(name) });
    await row.waitFor();
    expect(await row.textContent()).toContain('On: Case created');
    expect(await row.textContent()).toContain('1 condition · 1 action: Add tags');
    expect(await row.getByLabel(`Enabled ${name}`).isChecked()).toBe(true);
    await expectNoAxeViolations(page);

    // The saved trigger is what the dialog showed.
    const admin = await apiSignIn(baton.url, 'admin@demo.test');
    const saved = await apiOk<{ data: { name: string; events: string[]; conditions: unknown; actions: unknown }[] }>(
      baton.url,
      admin,
      'GET',
      '/triggers?limit=100',
    );
    const trigger = saved.data.find((x) => x.name === name);
    expect(trigger).toMatchObject({
      events: ['case.created'],
      conditions: { all: [{ field: 'category', operator: 'is', value: 'billing' }], any: [] },
      actions: [{ type: 'add_tags', tags: [tag] }],
    });

    // A technical case does not match the condition (created first: its event is handled before the billing case's).
    const other = await apiOk<{ id: string }>(baton.url, admin, 'POST', '/cases', {
      customer: { email: `trigger2.${stamp}@customers.example`, name: 'Theo Technical' },
      subject: `Router question ${stamp}`,
      category: 'technical',
      channel: 'email',
      message: { body: 'The router blinks red.' },
    });
    // A billing case created over the API gets the tag: the relay runs the trigger in the background.
    const kase = await apiOk<{ id: string; number: number }>(baton.url, admin, 'POST', '/cases', {
      customer: { email: `trigger.${stamp}@customers.example`, name: 'Tilda Trigger' },
      subject: `Invoice question ${stamp}`,
      category: 'billing',
      channel: 'email',
      message: { body: 'Why is my invoice higher this month?' },
    });
    await expect
      .poll(async () => (await apiOk<{ tags: string[] }>(baton.url, admin, 'GET', `/cases/${kase.id}`)).tags, { timeout: 20_000 })
      .toContain(tag);

    // The case page shows the tag and, in its history, that the rule ran.
    await page.goto(`${baton.url}/app/cases/${kase.number}`);
    const history = page.getByRole('region', { name: 'History', exact: true });
    await expect.poll(async () => (await history.textContent()) ?? '', { timeout: 15_000 }).toContain(`“${name}” ran (Add tags: done)`);
    await page.getByRole('button', { name: `Remove tag ${tag}` }).waitFor();

    const runs = await apiOk<{ data: { rule_name: string }[] }>(baton.url, admin, 'GET', `/cases/${other.id}/automation-runs?limit=50`);
    expect(runs.data.filter((r) => r.rule_name === name)).toHaveLength(0);
    expect((await apiOk<{ tags: string[] }>(baton.url, admin, 'GET', `/cases/${other.id}`)).tags).not.toContain(tag);
    await page.context().close();
  });

  it('an admin previews the demo automation and creates a time-based one in Admin › Automations', async () => {
    const stamp = Date.now();
    const name = `Escalate quiet new cases ${stamp}`;
    const admin = await apiSignIn(baton.url, 'admin@demo.test');
    const rules = await apiOk<{ data: { id: string; name: string }[] }>(baton.url, admin, 'GET', '/automations?limit=100');
    const demo = rules.data.find((r) => r.name === 'Close solved cases after 4 days');
    expect(demo).toBeDefined();

    const page = await signIn(browser, baton.url, 'admin@demo.test');
    await nav(page).getByRole('link', { name: 'Automations', exact: true }).click();
    await page.getByRole('heading', { name: 'Automations', level: 1 }).waitFor();
    const demoRow = page.getByRole('region', { name: /Close solved cases after 4 days/ });
    await demoRow.waitFor();
    expect(await demoRow.textContent()).toContain('2 conditions · 1 action: Set status');
    expect(await demoRow.getByLabel('Enabled Close solved cases after 4 days').isChecked()).toBe(true);
    await expectNoAxeViolations(page);

    // Preview: the dialog lists what the server matches now, and changes nothing.
    const expected = await apiOk<PreviewAnswer>(baton.url, admin, 'GET', `/automations/${demo!.id}/preview`);
    await demoRow.getByRole('button', { name: 'Preview matches Close solved cases after 4 days' }).click();
    const preview = page.getByRole('dialog', { name: 'Cases “Close solved cases after 4 days” matches now' });
    await preview.waitFor();
    await preview.getByText(previewText(expected)).waitFor({ timeout: 15_000 });
    if (expected.data.length > 0) {
      expect(await preview.getByRole('row').count()).toBe(expected.data.length + 1);
      await preview.getByRole('link', { name: `#${expected.data[0]!.number}` }).waitFor();
    }
    await expectNoAxeViolations(page, { include: 'dialog[open]' });
    await preview.getByRole('button', { name: 'Close' }).last().click();
    await preview.waitFor({ state: 'hidden' });

    // A new rule: new cases unanswered for more than 2 hours get a tag. It starts from the common
    // case (solved for 96 hours), which the admin changes.
    await page.getByRole('button', { name: 'New automation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New automation' });
    await dialog.waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    const all = dialog.getByRole('group', { name: 'All of these conditions' });
    expect(await all.getByLabel('Condition 1: field').inputValue()).toBe('status');
    expect(await all.getByLabel('Condition 2: field').inputValue()).toBe('hours_since_status_change');
    // Event-only fields are not offered to a time-based rule.
    expect(await all.getByLabel('Condition 1: field').locator('option', { hasText: 'Changed by' }).count()).toBe(0);
    await all.getByLabel('Condition 1: value').selectOption({ label: 'New' });
    await all.getByLabel('Condition 2: field').selectOption({ label: 'Hours since created' });
    await all.getByLabel('Condition 2: operator').selectOption({ label: 'more than' });
    await all.getByLabel('Condition 2: value').fill('2');
    // Switched off at first, as an admin tries a rule out: it would otherwise act at the next run.
    await dialog.getByLabel('Enabled', { exact: true }).uncheck();

    // Without an action the dialog says what is missing.
    await dialog.getByRole('button', { name: 'Create automation' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Add at least one action.' }).waitFor();

    const actions = dialog.getByRole('group', { name: 'Actions' });
    await actions.getByRole('button', { name: 'Add action' }).click();
    await actions.getByLabel('Action 1', { exact: true }).selectOption({ label: 'Add tags' });
    await actions.getByLabel('Tags (comma separated)').fill(`quiet-${stamp}`);
    await actions.getByRole('button', { name: 'Add action' }).click();
    await actions.getByLabel('Action 2', { exact: true }).selectOption({ label: 'Set priority' });
    await actions.getByLabel('Priority').selectOption({ label: 'High' });
    await expectNoAxeViolations(page, { include: 'dialog[open]' });

    // Without a time condition the rule would act on every case at every run: refused.
    await all.getByRole('button', { name: 'Remove condition 2' }).click();
    await dialog.getByRole('button', { name: 'Create automation' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Add a time condition' }).waitFor();
    await all.getByRole('button', { name: 'Add condition' }).click();
    await all.getByLabel('Condition 2: field').selectOption({ label: 'Hours since created' });
    await all.getByLabel('Condition 2: operator').selectOption({ label: 'more than' });
    await all.getByLabel('Condition 2: value').fill('2');

    await dialog.getByRole('button', { name: 'Create automation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('region', { name: new RegExp(name) });
    await row.waitFor();
    expect(await row.textContent()).toContain('2 conditions · 2 actions: Add tags, Set priority');
    expect(await row.textContent()).toContain('Disabled');
    expect(await row.textContent()).toContain('Not run yet');
    expect(await row.getByLabel(`Enabled ${name}`).isChecked()).toBe(false);

    const after = await apiOk<{ data: { id: string; name: string; enabled: boolean; conditions: unknown; actions: unknown }[] }>(
      baton.url,
      admin,
      'GET',
      '/automations?limit=100',
    );
    const created = after.data.find((r) => r.name === name);
    expect(created).toMatchObject({
      enabled: false,
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'new' },
          { field: 'hours_since_created', operator: 'gt', value: 2 },
        ],
        any: [],
      },
      actions: [
        { type: 'add_tags', tags: [`quiet-${stamp}`] },
        { type: 'set_priority', priority: 'high' },
      ],
    });

    // Its preview matches what the server says, even while it is switched off.
    const ownExpected = await apiOk<PreviewAnswer>(baton.url, admin, 'GET', `/automations/${created!.id}/preview`);
    await row.getByRole('button', { name: `Preview matches ${name}` }).click();
    const ownPreview = page.getByRole('dialog', { name: `Cases “${name}” matches now` });
    await ownPreview.waitFor();
    await ownPreview.getByText(previewText(ownExpected)).waitFor({ timeout: 15_000 });
    await ownPreview.getByRole('button', { name: 'Close' }).last().click();
    await ownPreview.waitFor({ state: 'hidden' });
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('an agent snoozes a case from the follow-up panel, wakes it, sets a reminder and finds it in My reminders', async () => {
    const stamp = Date.now();
    const ana = await apiSignIn(baton.url, 'ana@demo.test');
    const open = await apiOk<{ data: { id: string; number: number; subject: string }[] }>(
      baton.url,
      ana,
      'GET',
      '/cases?status=open&assignee_id=me&limit=1',
    );
    expect(open.data.length).toBe(1);
    const kase = open.data[0]!;

    const page = await signIn(browser, baton.url, 'ana@demo.test');
    await page.goto(`${baton.url}/app/cases/${kase.number}`);
    const panel = page.getByRole('region', { name: 'Follow up', exact: true });
    const status = page.getByLabel('Status', { exact: true });
    await panel.getByRole('form', { name: 'Snooze' }).waitFor();
    expect(await status.inputValue()).toBe('open');
    await expectNoAxeViolations(page, { include: '[data-testid="followup-panel"]' });

    // Snooze until next Monday, 9:00, with a note: the case waits on hold.
    const snoozeForm = panel.getByRole('form', { name: 'Snooze' });
    await snoozeForm.getByLabel('Snooze until').selectOption({ label: 'Next week (Monday, 9:00)' });
    await snoozeForm.getByLabel('Note (optional)').fill(`Waiting for the bank ${stamp}`);
    await snoozeForm.getByRole('button', { name: 'Snooze', exact: true }).click();
    const snoozed = panel.getByRole('status').filter({ hasText: 'Snoozed until' });
    await snoozed.waitFor({ timeout: 15_000 });
    expect(await snoozed.textContent()).toContain('Snoozed until');
    expect(await snoozed.textContent()).toContain(`Note: Waiting for the bank ${stamp}`);
    await expect.poll(() => status.inputValue(), { timeout: 15_000 }).toBe('on_hold');
    const followups = await apiOk<{ snooze: { until: string } | null }>(baton.url, ana, 'GET', `/cases/${kase.id}/followups`);
    const until = new Date(followups.snooze!.until);
    // Next Monday at 9:00 in the browser's time zone (the test's own).
    expect(until.getDay()).toBe(1);
    expect([until.getHours(), until.getMinutes()]).toEqual([9, 0]);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    expect(until.getTime() - Date.now()).toBeLessThanOrEqual(8 * 24 * 3_600_000);
    await expectNoAxeViolations(page, { include: '[data-testid="followup-panel"]' });

    // The agent changes their mind: the case is awake and open again.
    await snoozed.getByRole('button', { name: 'Wake now' }).click();
    await snoozeForm.waitFor({ timeout: 15_000 });
    await expect.poll(() => status.inputValue(), { timeout: 15_000 }).toBe('open');
    expect((await apiOk<{ snooze: unknown }>(baton.url, ana, 'GET', `/cases/${kase.id}/followups`)).snooze).toBeNull();

    // Remind me (tomorrow 9:00 by default) with a note: listed on the case.
    const note = `Call the bank back ${stamp}`;
    const remindForm = panel.getByRole('form', { name: 'Remind me' });
    expect(await remindForm.getByLabel('Remind me at').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT09:00$/);
    await remindForm.getByLabel('What about?').fill(note);
    await remindForm.getByRole('button', { name: 'Remind me', exact: true }).click();
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 15_000 }).toContain(`— ${note}`);
    expect(await panel.textContent()).toContain('My reminders on this case');
    expect(await remindForm.getByLabel('What about?').inputValue()).toBe('');
    await expectNoAxeViolations(page, { include: '[data-testid="followup-panel"]' });

    // My reminders: the reminder is upcoming, with its note and a link to the case.
    await nav(page).getByRole('link', { name: 'My reminders', exact: true }).click();
    await page.getByRole('heading', { name: 'My reminders', level: 1 }).waitFor();
    const tabs = page.getByRole('group', { name: 'Reminder lists' });
    expect(await tabs.getByRole('button', { name: 'Due', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await tabs.getByRole('button', { name: 'Upcoming', exact: true }).click();
    expect(await tabs.getByRole('button', { name: 'Upcoming', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const item = page.getByTestId('reminder-list').getByRole('listitem').filter({ hasText: note });
    await item.waitFor({ timeout: 15_000 });
    const link = item.getByRole('link', { name: `Case #${kase.number} ${kase.subject}` });
    await link.waitFor();
    await expectNoAxeViolations(page);

    // The link leads back to the case.
    await link.click();
    await page.getByRole('region', { name: 'Follow up', exact: true }).getByRole('form', { name: 'Remind me' }).waitFor();
    expect(page.url()).toContain(`/app/cases/${kase.number}`);
    await page.context().close();
  });

  it('an admin switches on the Regulation Z preset and sets the follow-up default on the SLA policies page', async () => {
    const page = await signIn(browser, baton.url, 'admin@demo.test');
    await nav(page).getByRole('link', { name: 'SLA policies', exact: true }).click();
    await page.getByRole('heading', { name: 'SLA policies', level: 1 }).waitFor();
    await page.getByTestId('sla-policy').first().waitFor();

    const presets = page.getByRole('region', { name: 'Regulatory presets' });
    const regZ = presets.locator('[data-testid="sla-preset"][data-preset="reg_z_billing_error"]');
    await regZ.waitFor();
    const presetName = 'US Regulation Z: billing error notices';
    // One name in both states; the state is aria-checked.
    const toggle = regZ.getByRole('switch', { name: `Active ${presetName}` });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect(await regZ.getByRole('heading').textContent()).toMatch(/ Off$/);
    expect(await regZ.getByLabel('Case tag').inputValue()).toBe('billing_error');
    const policies = page.getByTestId('sla-policy');
    expect(await policies.filter({ hasText: presetName }).count()).toBe(0);
    await page.getByRole('region', { name: 'Follow-ups' }).getByLabel('Remind a silent pending customer after (days)').waitFor();
    await expectNoAxeViolations(page);

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');
    expect(await regZ.getByRole('heading').textContent()).toMatch(/ On$/);
    await page
      .getByRole('status')
      .filter({ hasText: `${presetName} switched on` })
      .waitFor();
    // Its policy leads the list, marked as a preset, for billing cases tagged billing_error.
    await expect.poll(async () => (await policies.first().textContent()) ?? '', { timeout: 15_000 }).toContain(presetName);
    const policy = policies.first();
    expect(await policy.textContent()).toContain('Regulatory preset');
    expect(await policy.textContent()).toContain('Case tags: billing_error');
    expect(await policy.textContent()).toContain('First reply: 30 d');
    // The follow-up settings below offer the new policy its own follow-ups at once.
    await page
      .getByRole('region', { name: 'Follow-ups' })
      .getByRole('heading', { name: `For cases under “${presetName}”` })
      .waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(page);

    // Follow-ups: the workspace default's reminder days are kept.
    const settings = page.getByRole('region', { name: 'Follow-ups' });
    const reminderDays = settings.getByLabel('Remind a silent pending customer after (days)');
    const next = (await reminderDays.inputValue()) === '6' ? '5' : '6';
    await reminderDays.fill(next);
    await settings.getByRole('button', { name: 'Save follow-ups' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Follow-up settings saved.' }).waitFor({ timeout: 15_000 });
    await expectNoAxeViolations(page);

    await page.reload();
    await page.getByRole('heading', { name: 'SLA policies', level: 1 }).waitFor();
    await expect.poll(() => reminderDays.inputValue(), { timeout: 15_000 }).toBe(next);
    // The preset stays on after the reload.
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    const admin = await apiSignIn(baton.url, 'admin@demo.test');
    const stored = await apiOk<{ default: { pending_reminder_after_days: number | null } }>(baton.url, admin, 'GET', '/followup-settings');
    expect(stored.default.pending_reminder_after_days).toBe(Number(next));
    await page.context().close();
  });
});
