import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/agent.js';
import { expectNoAxeViolations } from './support/axe.js';
import { startBatonForTest, type BatonUnderTest } from './support/baton.js';
import { launchBrowser } from './support/browser.js';

// A 1x1 red PNG, sent as an inline cid: image.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

interface OutboundMail {
  id: string;
  kind: string;
  status: string;
  subject: string;
  to: string[];
  reply_to: string | null;
  message_id_header: string;
}

interface FoundCase {
  id: string;
  number: number;
  subject: string;
  channel: string;
}

async function findCases(page: Page, q: string): Promise<FoundCase[]> {
  return (await apiGet<{ cases: FoundCase[] }>(page, `/search?type=cases&q=${encodeURIComponent(q)}`)).cases;
}

async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`);
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }, path);
}

/**
 * The email channel end to end in Chromium, on the demo workspace: a customer's mail arrives over
 * SMTP, becomes a case with its HTML shown in a sandboxed frame, the agent replies, the reply is
 * composed (kept in the sent-mail viewer: no relay here) and the customer's answer to its signed
 * Reply-To address lands in the same case.
 */
describe('email channel in Chromium', () => {
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

  it('turns a customer email into a case, replies, and threads the answer back', async () => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: baton.smtpPort, secure: false, ignoreTLS: true });
    const stamp = Date.now();
    const subject = `Charged twice for invoice INV-${stamp}`;
    const customer = `mila.${stamp}@customers.example`;
    const sent = await smtp.sendMail({
      from: `Mila Novak <${customer}>`,
      to: 'billing@demo.test',
      subject,
      messageId: `<first-${stamp}@customers.example>`,
      text: `Hello, my card was charged twice for invoice INV-${stamp}.\n\nOn Mon, Billing wrote:\n> Thank you for your payment.`,
      html:
        `<p>Hello, my card was <b>charged twice</b> for invoice INV-${stamp}.</p>` +
        `<p><img src="cid:pixel@mila" alt="receipt"> <img src="https://tracker.example/open.gif" alt="tracker"></p>`,
      attachments: [{ filename: 'pixel.png', content: PIXEL, cid: 'pixel@mila' }],
    });
    expect(sent.response).toMatch(/^250/);

    const page = await signIn(browser, baton.url, 'admin@demo.test');
    // The worker turns the stored mail into a case within moments.
    let found: FoundCase | undefined;
    await expect
      .poll(
        async () => {
          found = (await findCases(page, `INV-${stamp}`)).find((c) => c.subject === subject);
          return found !== undefined;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const theCase = found!;
    expect(theCase.channel).toBe('email');

    await page.goto(`${baton.url}/app/cases/${theCase.number}`);
    const message = page.locator('[data-testid="message"][data-email="true"]').first();
    await message.waitFor();
    // The visible text first; the quoted history is one click away.
    expect(await message.textContent()).toContain(`charged twice for invoice INV-${stamp}`);
    expect(await message.textContent()).not.toContain('Thank you for your payment.');
    await message.getByRole('button', { name: 'Show quoted text' }).click();
    await expect.poll(() => message.textContent()).toContain('Thank you for your payment.');
    await expectNoAxeViolations(page);

    // The formatted version renders in a sandboxed frame with remote images blocked.
    await message.getByRole('button', { name: 'Show formatted (HTML)' }).click();
    const frameElement = message.locator('iframe[title="Formatted email"]');
    await frameElement.waitFor();
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    await expect.poll(() => message.textContent()).toContain('Remote images are blocked');
    const frame = frameElement.contentFrame();
    await frame.locator('b', { hasText: 'charged twice' }).waitFor();
    // The inline image comes from Baton's signed file link and loads; the tracker does not.
    await expect
      .poll(() => frame.locator('img[alt="receipt"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(await frame.locator('img[alt="tracker"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(0);

    // The acknowledgement went out (kept: no relay configured) with the case number.
    await expect
      .poll(
        async () =>
          (await apiGet<{ items: OutboundMail[] }>(page, `/outbound-mail?case_id=${theCase.id}`)).items.some(
            (m) => m.kind === 'acknowledgement' && m.subject.includes(`[#${theCase.number}]`),
          ),
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);

    // The agent replies publicly.
    await page.getByRole('tab', { name: 'Reply' }).click();
    const replyText = `We refunded the duplicate charge for INV-${stamp}.`;
    await page.getByLabel('Message', { exact: true }).fill(replyText);
    await page.getByLabel('Status after sending').selectOption('pending');
    await page.getByRole('button', { name: 'Send as Pending' }).click();
    await expect.poll(() => page.getByTestId('message').last().textContent()).toContain(replyText);

    let reply: OutboundMail | undefined;
    await expect
      .poll(
        async () => {
          const list = await apiGet<{ items: OutboundMail[] }>(page, `/outbound-mail?case_id=${theCase.id}`);
          reply = list.items.find((m) => m.kind === 'reply' && m.status === 'kept');
          return reply !== undefined;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    expect(reply!.to).toEqual([`"Mila Novak" <${customer}>`]);
    expect(reply!.subject).toBe(`Re: ${subject} [#${theCase.number}]`);
    expect(reply!.reply_to).toMatch(/^"Billing" <billing\+c[0-9a-f]{32}\.[0-9a-f]{16}@demo\.test>$/);
    const replyAddress = /<([^>]+)>/.exec(reply!.reply_to!)![1]!;

    // The sent-mail viewer shows the reply as it would have been sent.
    await page.goto(`${baton.url}/app/admin/sent-mail?case_id=${theCase.id}`);
    const row = page.locator(`[data-testid="sent-mail-row"][data-mail-id="${reply!.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('kept');
    await expectNoAxeViolations(page);

    // The customer answers the reply (to its signed Reply-To): same case, no new one.
    const answer = await smtp.sendMail({
      from: `Mila Novak <${customer}>`,
      to: replyAddress,
      subject: `Re: ${reply!.subject}`,
      inReplyTo: `<${reply!.message_id_header}>`,
      text: `Thank you, I can see the refund for INV-${stamp} now.`,
    });
    expect(answer.response).toMatch(/^250/);
    await page.goto(`${baton.url}/app/cases/${theCase.number}`);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('message').first().waitFor();
          return page.getByTestId('message').last().textContent();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toContain(`I can see the refund for INV-${stamp}`);
    expect((await findCases(page, `INV-${stamp}`)).map((c) => c.number)).toEqual([theCase.number]);
    smtp.close();
  });

  it('lets an admin see and reprocess problem mail', async () => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: baton.smtpPort, secure: false, ignoreTLS: true });
    // 30 nested multiparts: past the parser's depth limit of 20, so the message is quarantined.
    const stamp = Date.now();
    let part = 'Content-Type: text/plain\r\n\r\nDeep inside.\r\n';
    for (let i = 29; i >= 0; i--) {
      part = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${part}\r\n--b${i}--\r\n`;
    }
    const raw =
      `From: Deep Nester <deep.${stamp}@customers.example>\r\nTo: billing@demo.test\r\nSubject: Nested ${stamp}\r\n` +
      `Message-ID: <deep-${stamp}@customers.example>\r\nMIME-Version: 1.0\r\n${part}`;
    await smtp.sendMail({ envelope: { from: `deep.${stamp}@customers.example`, to: ['billing@demo.test'] }, raw });
    smtp.close();

    const page = await signIn(browser, baton.url, 'admin@demo.test');
    await page.goto(`${baton.url}/app/admin/problem-mail`);
    const row = page.getByTestId('problem-mail-row').filter({ hasText: `Nested ${stamp}` });
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { level: 1 }).waitFor();
          return row.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    expect(await row.getAttribute('data-status')).toBe('quarantined');
    expect(await row.textContent()).toMatch(/nesting|depth/i);
    await expectNoAxeViolations(page);
  });
});
