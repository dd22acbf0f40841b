import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { apiOk as api, apiSignIn, type ApiSession } from './support/api.js';
import { expectNoAxeViolations } from './support/axe.js';
import { freePort } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'dist', 'server', 'main.js');

/**
 * Live chat end to end (issue 4): a shop page with the widget snippet, a customer chatting in it,
 * an agent in a second browser context who sees the chat arrive live, types and replies; then the
 * server restarts on the same database and both sides reconnect with nothing lost or doubled.
 *
 * The server runs here (not through support/baton.ts) because it must restart on the same data
 * directory and port; the embedded database only (E2E_DATABASE_URL is not used by this file).
 */
interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/**
 * Other test runs on this machine may be rebuilding dist/ (scripts/build.mjs holds dist/.build-lock
 * and replaces dist/server meanwhile): a restart waits until the build is complete.
 */
async function builtServerPresent(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (fs.existsSync(path.join(ROOT, 'dist', '.build-lock')) || !fs.existsSync(ENTRY)) {
    if (Date.now() > deadline) throw new Error('dist/server did not come back (another build?)');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function startServer(dataDir: string, port: number, smtpPort: number): Server {
  const child = spawn(process.execPath, ['--enable-source-maps', ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: process.env.TZ,
      PORT: String(port),
      HOST: '127.0.0.1',
      BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BATON_SMTP_PORT: String(smtpPort),
      BATON_MAIL_AUTH_CHECKS: 'false',
      BATON_DATA_DIR: dataDir,
      BATON_DEMO_DATA: 'true',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => output, exited };
}

/** The server's URL once it says it is running (works in hooks, where expect.poll does not). */
async function ready(server: Server): Promise<string> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const match = /Baton is running at (http:\/\/\S+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.child.exitCode !== null) throw new Error(`Baton exited during start-up:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`Baton did not start within 90 s:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(timer);
}

/** The shop's pages: nothing but the snippet the admin page shows; `pages` adds others by path. */
function startShop(snippet: () => string, pages: Record<string, () => string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const extra = pages[req.url ?? ''];
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo shop</title></head>` +
        `<body><main><h1>Demo shop</h1><p>Questions about your order? Chat with us.</p></main>${extra ? extra() : snippet()}</body></html>`,
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      // localhost, not 127.0.0.1: the shop is another site than Baton, as in real life.
      resolve({ url: `http://localhost:${address.port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/**
 * The widget is online only within business hours, and the demo's teams keep office hours. These
 * tests run at any hour, so the teams get round-the-clock hours.
 */
async function keepTeamsOpen(url: string, admin: ApiSession): Promise<void> {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const hours = await api<{ id: string }>(url, admin, 'POST', '/business-hours', {
    name: `Round the clock (e2e ${crypto.randomUUID().slice(0, 8)})`,
    time_zone: 'UTC',
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay])),
  });
  const teams = await api<{ data: { id: string }[] }>(url, admin, 'GET', '/teams?limit=100');
  for (const team of teams.data) await api(url, admin, 'PUT', `/teams/${team.id}/business-hours`, { schedule_id: hours.id });
}

const chatLog = (frame: FrameLocator) => frame.getByRole('log', { name: 'Messages' });

/** The texts in the widget's log, in order (each message once). */
async function logTexts(frame: FrameLocator): Promise<string[]> {
  return chatLog(frame).locator('li > p:first-of-type').allTextContents();
}

describe('live chat in Chromium', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-chat-e2e-'));
  let port: number;
  let smtpPort: number;
  let server: Server;
  let url: string;
  let browser: Browser;
  let shop: { url: string; close: () => Promise<void> };
  let snippet = '';
  let siteKey = '';
  let accountPage = '';
  let signedOutPage = '';

  beforeAll(async () => {
    port = await freePort();
    smtpPort = await freePort();
    await builtServerPresent();
    server = startServer(dataDir, port, smtpPort);
    url = await ready(server);
    shop = await startShop(() => snippet, { '/account': () => accountPage, '/signed-out': () => signedOutPage });
    browser = await launchBrowser();
    const admin = await apiSignIn(url, 'admin@demo.test');
    await keepTeamsOpen(url, admin);
    const site = await api<{ site_key: string; snippet: string; secret: string }>(url, admin, 'POST', '/chat/sites', {
      name: 'Demo shop',
      allowed_origins: [shop.url],
      colour: '#0b5cad',
      greeting: 'Hi! How can we help with your order?',
      prechat_question: 'What is it about?',
      prechat_choices: [
        { id: 'billing', label: 'Billing', category: 'billing' },
        { id: 'technical', label: 'Something technical', category: 'technical' },
      ],
      category: 'general',
    });
    expect(site.secret).toBeTruthy();
    snippet = site.snippet;
    siteKey = site.site_key;
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    if (server) await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the widget under its size budget', async () => {
    const loader = await fetch(`${url}/chat/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toContain('javascript');
    const frame = await fetch(`${url}/chat/frame/${siteKey}`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${shop.url}`);
    expect((await fetch(`${url}/chat/assets/frame.js`)).status).toBe(200);
  });

  it('chats live between a customer and an agent, across a server restart', async () => {
    const subject = `Charged twice for order ${Date.now() % 100000}`;

    // The agent waits in the inbox with the live connection up.
    const agent = await signIn(browser, url, 'admin@demo.test');
    await agent.locator('.live-status[data-state="open"]').waitFor();

    // The customer opens the shop and the chat.
    const customerContext = await browser.newContext();
    const customer = await customerContext.newPage();
    await customer.goto(shop.url);
    const launcher = customer.getByRole('button', { name: 'Open chat' });
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const frame = customer.frameLocator('iframe[title="Chat"]');
    await frame.getByText('Hi! How can we help with your order?').waitFor();
    await frame.getByRole('radio', { name: 'Billing' }).check();
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill(subject);
    await frame.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => logTexts(frame)).toEqual([subject]);
    await frame.getByRole('button', { name: 'Send' }).waitFor();

    // The chat arrives in the agent's inbox without a reload.
    const row = agent.getByTestId('case-row').filter({ hasText: subject });
    await row.waitFor({ timeout: 20_000 });
    const number = await row.getAttribute('data-case-number');
    await row.getByRole('link').first().click();
    await agent.waitForURL(new RegExp(`/app/cases/${number}$`));
    await agent.getByTestId('message').filter({ hasText: subject }).waitFor();

    // Collision detection: a colleague opens the same case; each sees the other, and their typing.
    const colleague = await signIn(browser, url, 'supervisor@demo.test');
    await colleague.goto(`${url}/app/cases/${number}`);
    await colleague.getByTestId('message').filter({ hasText: subject }).waitFor();
    await agent.getByTestId('case-viewers').getByText('Also here: Sam Supervisor').waitFor();
    await colleague.getByTestId('case-viewers').getByText('Also here: Alex Admin').waitFor();
    await colleague.getByRole('tab', { name: 'Internal note' }).click();
    await colleague.getByLabel('Message', { exact: true }).pressSequentially('Checking', { delay: 20 });
    await agent.getByTestId('case-viewers').getByText('Sam Supervisor (typing)').waitFor();
    await colleague.context().close();
    await expect.poll(() => agent.getByTestId('case-viewers').textContent()).not.toContain('Sam Supervisor');

    // The customer types: the agent sees it. The agent types: the customer sees it.
    await frame.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('One more thing', { delay: 20 });
    await agent.getByText('The customer is typing…').waitFor();
    await agent.getByRole('tab', { name: 'Reply' }).click();
    const replyBox = agent.getByLabel('Message', { exact: true });
    await replyBox.pressSequentially('We are ', { delay: 20 });
    await frame.getByText('Alex Admin is typing…').waitFor();

    // A file within the limits goes with a message; the agent sees the attachment.
    await frame
      .getByLabel('Attach files')
      .setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 1234: 2 x 49.00 EUR') });
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('Here is the receipt.');
    await frame.getByRole('button', { name: 'Send' }).click();
    await agent.getByTestId('message').filter({ hasText: 'Here is the receipt.' }).getByText('receipt.txt').waitFor();
    await chatLog(frame).getByText('Attachment: receipt.txt').waitFor();

    // The customer's next message shows on the case page live.
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('The second charge is from yesterday.');
    await frame.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
    await agent.getByTestId('message').filter({ hasText: 'The second charge is from yesterday.' }).waitFor();
    // The agent has the case open: the customer sees their message as read.
    await chatLog(frame).getByText('Read', { exact: true }).waitFor();

    // The agent replies; the customer sees it, with who wrote it.
    const reply = 'We are refunding the duplicate charge now.';
    await replyBox.fill(reply);
    await agent.getByRole('button', { name: /^Send as/ }).click();
    await frame.getByRole('log').getByText(reply).waitFor();
    await expect.poll(() => logTexts(frame)).toEqual([subject, 'Here is the receipt.', 'The second charge is from yesterday.', reply]);
    expect(await chatLog(frame).locator('li').last().textContent()).toContain('Alex Admin');
    await expectNoAxeViolations(customer);

    // The agent's case page followed it as well (one copy of each message).
    await expect.poll(() => agent.getByTestId('message').count()).toBe(4);
    // The widget is open, so the customer has read the reply: the agent sees the receipt on it.
    await agent.getByTestId('message').filter({ hasText: reply }).getByTestId('visitor-read').waitFor();
    expect(await agent.getByTestId('visitor-read').count()).toBe(1);

    // Restart the server on the same database and port. Both sides notice and reconnect.
    await stopServer(server);
    await agent.locator('.live-status[data-state="lost"]').waitFor();
    await builtServerPresent();
    server = startServer(dataDir, port, smtpPort);
    url = await ready(server);

    // A reply sent right after the restart reaches the widget once it is back (resume / history).
    const admin = await apiSignIn(url, 'admin@demo.test');
    const kase = await api<{ id: string }>(url, admin, 'GET', `/cases/${number}`);
    const late = 'Refund done: it shows on your card in 3 to 5 days.';
    await api(url, admin, 'POST', `/cases/${kase.id}/messages`, { body: late, visibility: 'public' });
    await agent.locator('.live-status[data-state="open"]').waitFor({ timeout: 60_000 });
    await frame.getByRole('log').getByText(late).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => logTexts(frame))
      .toEqual([subject, 'Here is the receipt.', 'The second charge is from yesterday.', reply, late]);
    await expect.poll(() => agent.getByTestId('message').count(), { timeout: 20_000 }).toBe(5);

    // The customer keeps chatting after the restart; the agent's open page gets it live.
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('Thank you!');
    await frame.getByRole('button', { name: 'Send' }).click();
    await agent.getByTestId('message').filter({ hasText: 'Thank you!' }).waitFor({ timeout: 20_000 });

    // A returning visitor (new page load) gets the whole conversation back, once.
    await customer.reload();
    await customer.getByRole('button', { name: 'Open chat' }).click();
    await expect
      .poll(() => logTexts(frame), { timeout: 20_000 })
      .toEqual([subject, 'Here is the receipt.', 'The second charge is from yesterday.', reply, late, 'Thank you!']);

    // With the chat closed, a new reply shows as a badge on the launcher.
    await frame.getByRole('button', { name: 'Close chat' }).click();
    expect(await customer.locator('#baton-chat-launcher').getAttribute('aria-expanded')).toBe('false');
    await replyBox.fill('Anything else we can do?');
    await agent.getByRole('button', { name: /^Send as/ }).click();
    await customer.getByRole('button', { name: 'Open chat (1 new reply)' }).waitFor({ timeout: 20_000 });
    await customer.getByRole('button', { name: 'Open chat (1 new reply)' }).click();
    await customer.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    await frame.getByRole('log').getByText('Anything else we can do?').waitFor();
    await customerContext.close();
    await agent.context().close();
  });

  it('Admin › Chat adds a site, shows its snippet and secret once, edits it, rotates the secret and sets chat capacity', async () => {
    const page = await signIn(browser, url, 'admin@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).click();
    await page.getByRole('heading', { name: 'Chat', level: 1 }).waitFor();
    await page.getByTestId('chat-site').filter({ hasText: 'Demo shop' }).waitFor();

    await page.getByRole('button', { name: 'Add chat site' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a chat site' });
    await dialog.getByLabel('Name').fill('Help centre');
    await dialog.getByLabel('Allowed origins').fill('not an origin');
    await dialog.getByLabel('Greeting').fill('Ask us anything.');
    await dialog.getByLabel('Pre-chat question').fill('What do you need?');
    await dialog.getByRole('button', { name: 'Add a choice' }).click();
    await dialog.getByLabel('Choice 1: label').fill('A refund');
    await dialog.getByLabel('Choice 1: category').selectOption('refund');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The server refuses the origin; the error shows at the field.
    await expect.poll(() => dialog.getByLabel('Allowed origins').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Allowed origins').fill('https://help.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const site = page.getByTestId('chat-site').filter({ hasText: 'Help centre' });
    const secret = await site.getByLabel('Identity-token secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await site.getByLabel('Snippet to paste into the site').inputValue()).toMatch(
      /^<script src="http:\/\/127\.0\.0\.1:\d+\/chat\/widget\.js" data-site="cs_[^"]+" async><\/script>$/,
    );
    await expectNoAxeViolations(page);

    // Edit: switch on identity enforcement.
    await site.getByRole('button', { name: 'Edit Help centre' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Help centre' });
    await edit.getByLabel(/Only identified visitors/).check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });

    // Rotate: a new secret, shown once.
    await site.getByRole('button', { name: 'Rotate secret Help centre' }).click();
    await page.getByRole('dialog', { name: 'Rotate the secret of Help centre?' }).getByRole('button', { name: 'Rotate secret' }).click();
    await expect.poll(() => site.getByLabel('Identity-token secret').inputValue()).not.toBe(secret);

    // After a reload no secret is shown any more; the settings stuck.
    await page.reload();
    await page.getByTestId('chat-site').filter({ hasText: 'Help centre' }).waitFor();
    expect(await page.getByLabel('Identity-token secret').count()).toBe(0);
    const admin = await apiSignIn(url, 'admin@demo.test');
    const sites = await api<{
      items: { name: string; require_identity: boolean; allowed_origins: string[]; prechat_choices: { id: string; category: string }[] }[];
    }>(url, admin, 'GET', '/chat/sites');
    const stored = sites.items.find((s) => s.name === 'Help centre')!;
    expect(stored.require_identity).toBe(true);
    expect(stored.allowed_origins).toEqual(['https://help.example']);
    expect(stored.prechat_choices).toEqual([expect.objectContaining({ id: 'a-refund', category: 'refund' })]);

    // Chat capacity of an agent.
    const capacity = page.getByLabel('Chat capacity of Ana Billing');
    await expect.poll(() => capacity.isEnabled()).toBe(true);
    await capacity.fill('5');
    await capacity.press('Enter');
    await page.getByText('Chat capacity of Ana Billing set to 5').waitFor();

    // Presence goes over the live connection: away, then online again (stored on the agent).
    const presence = () => page.evaluate(async () => ((await (await fetch('/api/v1/me')).json()) as { presence: string }).presence);
    await page.locator('.live-status[data-state="open"]').waitFor();
    await page.getByRole('radio', { name: 'Away' }).check();
    await expect.poll(presence).toBe('away');
    await page.getByRole('radio', { name: 'Online' }).check();
    await expect.poll(presence).toBe('online');
    await page.context().close();
  });

  it('shows a waiting visitor their place in the queue until an agent has room, and asks an offline visitor for their email', async () => {
    const stamp = Date.now() % 100000;
    const admin = await apiSignIn(url, 'admin@demo.test');
    // Dev alone staffs a queue team, online with room for one chat; nobody staffs the night team.
    const dev = await apiSignIn(url, 'dev@demo.test');
    const devAgent = await api<{ id: string; name: string }>(url, dev, 'GET', '/me');
    await api(url, dev, 'PUT', '/me/presence', { presence: 'online' });
    const queueTeam = await api<{ id: string }>(url, admin, 'POST', '/teams', { name: `Chat queue ${stamp}`, member_ids: [devAgent.id] });
    const nightTeam = await api<{ id: string }>(url, admin, 'POST', '/teams', { name: `Night desk ${stamp}`, member_ids: [] });
    await keepTeamsOpen(url, admin);
    await api(url, admin, 'PUT', `/chat/agents/${devAgent.id}/settings`, { chat_capacity: 1 });
    const queueSite = await api<{ snippet: string }>(url, admin, 'POST', '/chat/sites', {
      name: `Queue shop ${stamp}`,
      allowed_origins: [shop.url],
      greeting: 'Welcome to the queue shop',
      team_id: queueTeam.id,
    });
    const nightSite = await api<{ snippet: string }>(url, admin, 'POST', '/chat/sites', {
      name: `Night shop ${stamp}`,
      allowed_origins: [shop.url],
      greeting: 'Night shop',
      team_id: nightTeam.id,
    });
    accountPage = queueSite.snippet;
    signedOutPage = nightSite.snippet;

    const openWidget = async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${shop.url}/account`);
      await page.getByRole('button', { name: 'Open chat' }).click();
      return { context, frame: page.frameLocator('iframe[title="Chat"]') };
    };
    const first = await openWidget();
    await first.frame.getByText('Welcome to the queue shop').waitFor();
    await first.frame.getByRole('textbox', { name: 'Message', exact: true }).fill('First in line');
    await first.frame.getByRole('button', { name: 'Start chat' }).click();
    await first.frame.getByText(`${devAgent.name} joined the chat.`).waitFor();

    // Dev has no room left: the next visitor waits and is told their place.
    const second = await openWidget();
    await second.frame.getByRole('textbox', { name: 'Message', exact: true }).fill('Second in line');
    await second.frame.getByRole('button', { name: 'Start chat' }).click();
    await second.frame.getByText('You are next in the queue.').waitFor();

    // The first visitor ends their chat: room frees up and the waiting one is taken.
    await first.frame.getByRole('button', { name: 'End chat' }).click();
    await second.frame.getByText(`${devAgent.name} joined the chat.`).waitFor({ timeout: 20_000 });
    await first.context.close();
    await second.context.close();

    // Nobody online for the night site: the widget says so and needs an email address to start.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/signed-out`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const frame = page.frameLocator('iframe[title="Chat"]');
    await frame.getByText('We are offline: leave a message and your email, we will reply by email').waitFor();
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('Please call me back about my invoice');
    await frame.getByRole('button', { name: 'Start chat' }).click();
    const email = frame.getByRole('textbox', { name: 'Your email' });
    expect(await email.evaluate((input) => (input as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(await logTexts(frame)).toEqual([]);
    await email.fill(`night.${stamp}@customers.example`);
    await frame.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => logTexts(frame)).toEqual(['Please call me back about my invoice']);
    // The case continues by email: it belongs to the customer with that address.
    const found = await api<{ data: { subject: string; channel: string }[] }>(
      url,
      admin,
      'GET',
      `/cases?q=${encodeURIComponent('call me back')}`,
    );
    expect(found.data.some((c) => c.channel === 'chat')).toBe(true);
    await context.close();
  });

  it('identifies a signed-in customer with a token signed by the site, and refuses without one when the site requires it', async () => {
    const admin = await apiSignIn(url, 'admin@demo.test');
    await keepTeamsOpen(url, admin);
    const site = await api<{ site_key: string; snippet: string; secret: string }>(url, admin, 'POST', '/chat/sites', {
      name: 'Account area',
      allowed_origins: [shop.url],
      greeting: 'Signed-in support',
      require_identity: true,
    });
    // What the shop's backend does: an HS256 token for its signed-in user, valid for 10 minutes.
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
      aud: site.site_key,
      sub: 'shop-user-42',
      email: 'maria.identified@customers.example',
      name: 'Maria Identified',
      exp: Math.floor(Date.now() / 1000) + 600,
    })}`;
    const token = `${payload}.${crypto.createHmac('sha256', site.secret).update(payload).digest('base64url')}`;
    accountPage = `<script>window.BatonChat = { q: [['identify', ${JSON.stringify(token)}]] };</script>${site.snippet}`;
    signedOutPage = site.snippet;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shop.url}/signed-out`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const frame = page.frameLocator('iframe[title="Chat"]');
    await frame.getByText('Sign in on this site to chat with us.').waitFor();
    expect(await frame.getByRole('button', { name: 'Start chat' }).count()).toBe(0);

    await page.goto(`${shop.url}/account`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await frame.getByRole('textbox', { name: 'Message', exact: true }).fill('Where is my refund?');
    await frame.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => logTexts(frame)).toEqual(['Where is my refund?']);

    // A transcript by email: the widget asks where to send it.
    await frame.getByRole('button', { name: 'Email me a transcript' }).click();
    await frame.getByRole('textbox', { name: 'Your email' }).fill('maria.identified@customers.example');
    await frame.getByRole('button', { name: 'Send transcript' }).click();
    await frame.getByText('The transcript is on its way.').waitFor();

    // The chat's case belongs to the customer the token named.
    await expect
      .poll(async () => {
        const found = await api<{ data: { subject: string; customer: { primary_email: string | null; name: string } | null }[] }>(
          url,
          admin,
          'GET',
          '/cases?channel=chat&limit=50',
        );
        const customer = found.data.find((c) => c.subject === 'Chat: Where is my refund?')?.customer;
        return customer && `${customer.name} <${customer.primary_email}>`;
      })
      .toBe('Maria Identified <maria.identified@customers.example>');
    await context.close();
  });

  it('the chat frame on its own passes axe (WCAG 2.2 AA) and labels its controls', async () => {
    // bypassCSP: axe is injected as an inline script, which the frame's CSP rightly forbids.
    const context = await browser.newContext({ bypassCSP: true });
    const page: Page = await context.newPage();
    await page.goto(`${url}/chat/frame/${siteKey}`);
    await page.getByRole('button', { name: 'Start chat' }).waitFor();
    await expect.poll(() => page.getByRole('log', { name: 'Messages' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByText('Write a message first.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message', exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page);
    await context.close();
  });
});
