import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createAgent, createWorkspace, unique, type TestWorkspace } from '../../test/factories.js';
import { addMessage } from '../cases/service.js';
import { multipartBody, TINY_PNG, type TestFile } from '../files/test-multipart.js';

/** A fresh client address per request (the per-IP limit is shared by every test of the run). */
const newIp = () => `2001:db8:${crypto.randomBytes(10).toString('hex').match(/.{4}/g)!.join(':')}:1`;

function validFields(overrides: Record<string, string> = {}) {
  return {
    name: 'Erika Mustermann',
    email: `${unique('erika')}@example.test`,
    category: 'billing',
    subject: 'Charged twice for March',
    message: 'Hello,\nI was charged twice.\nThanks',
    ...overrides,
  };
}

async function post(url: string, fields: Record<string, string>, files: TestFile[] = [], headers: Record<string, string> = {}) {
  const app = await getTestApp();
  const body = await multipartBody(fields, files);
  return app.inject({ method: 'POST', url, payload: body.payload, headers: { 'x-forwarded-for': newIp(), ...body.headers, ...headers } });
}

async function counts(workspaceId: string) {
  const { db } = await getTestContext();
  const n = async (table: 'cases' | 'messages' | 'attachments' | 'customers' | 'case_status_links') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    cases: await n('cases'),
    messages: await n('messages'),
    attachments: await n('attachments'),
    customers: await n('customers'),
    links: await n('case_status_links'),
  };
}

const statusPathOf = (body: string) => {
  const match = /href="https?:\/\/[^/"]+(\/help\/status\/[A-Za-z0-9_-]{43})"/.exec(body);
  if (!match) throw new Error('no status link on the page');
  return match[1]!;
};
const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
/** Markup with whitespace runs collapsed: assertions about structure, not formatting. */
const flat = (s: string) => s.replace(/\s+/g, ' ');
const formTokenOf = (body: string) => /name="form_token" value="([^"]+)"/.exec(body)![1]!;

/** Submits the form and returns the case and its status page path. */
async function submit(ws: TestWorkspace, overrides: Record<string, string> = {}, files: TestFile[] = []) {
  const res = await post(`/help/${ws.slug}`, validFields(overrides), files);
  expect(res.statusCode).toBe(200);
  const number = Number(/Your request number is #(\d+)\./.exec(res.body)![1]);
  const { db } = await getTestContext();
  const kase = await db
    .selectFrom('cases')
    .selectAll()
    .where('workspace_id', '=', ws.id)
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  return { res, kase, statusPath: statusPathOf(res.body) };
}

describe('GET /help', () => {
  it('renders an accessible form in the visitor’s language with a strict CSP', async () => {
    const app = await getTestApp();
    const ws = await createWorkspace();
    const res = await app.inject({ method: 'GET', url: `/help/${ws.slug}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
    );
    const body = flat(res.body);
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('<main id="main"');
    expect(body).toContain('<header');
    expect(body).toContain('<footer');
    expect(body).toContain(`action="/help/${ws.slug}" enctype="multipart/form-data"`);
    for (const field of ['name', 'email', 'category', 'subject', 'message', 'attachments']) {
      expect(body).toContain(`<label for="field-${field}">`);
      expect(body).toContain(`id="field-${field}" name="${field}"`);
    }
    expect(body).toMatch(/<option value="dispute"\s*>Disputed charge<\/option>/);
    expect(body).toContain('type="file" id="field-attachments" name="attachments" multiple');
    expect(body).not.toContain('<script');

    const german = await app.inject({
      method: 'GET',
      url: `/help/${ws.slug}`,
      headers: { 'accept-language': 'fr;q=0.9, de-AT;q=0.8, en;q=0.5' },
    });
    expect(german.body).toContain('<html lang="de">');
    expect(german.body).toContain('Anfrage senden');
    const explicit = await app.inject({ method: 'GET', url: `/help/${ws.slug}?lang=en`, headers: { 'accept-language': 'de' } });
    expect(explicit.body).toContain('<html lang="en">');
    expect(explicit.body).toContain(`action="/help/${ws.slug}?lang=en"`);
  });

  it('serves /help for the first workspace, and a 404 page for an unknown one', async () => {
    const app = await getTestApp();
    await createWorkspace();
    const res = await app.inject({ method: 'GET', url: '/help' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('action="/help"');
    const missing = await app.inject({ method: 'GET', url: '/help/no-such-desk-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect((await app.inject({ method: 'GET', url: '/help/NOT_A_SLUG' })).statusCode).toBe(404);
  });
});

describe('POST /help', () => {
  it('creates the customer, case, message and attachment, and shows the number and a working status link', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const fields = validFields();
    const res = await post(`/help/${ws.slug}`, fields, [
      { name: 'receipt.png', content: TINY_PNG, type: 'text/html' },
      { name: 'notes.txt', content: `notes ${ws.id}` },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const number = Number(/Your request number is #(\d+)\./.exec(res.body)![1]);

    const identity = await db
      .selectFrom('customer_identities')
      .select(['customer_id'])
      .where('workspace_id', '=', ws.id)
      .where('value', '=', fields.email)
      .executeTakeFirstOrThrow();
    const customer = await db.selectFrom('customers').select(['name']).where('id', '=', identity.customer_id).executeTakeFirstOrThrow();
    expect(customer.name).toBe('Erika Mustermann');
    const kase = await db
      .selectFrom('cases')
      .selectAll()
      .where('workspace_id', '=', ws.id)
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(kase).toMatchObject({
      subject: 'Charged twice for March',
      category: 'billing',
      channel: 'web',
      customer_id: identity.customer_id,
    });
    const messages = await db.selectFrom('messages').selectAll().where('case_id', '=', kase.id).execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ visibility: 'public', author_type: 'customer', channel: 'web', body_text: fields.message });
    const attachments = await db
      .selectFrom('attachments')
      .select(['filename', 'content_type', 'message_id'])
      .where('workspace_id', '=', ws.id)
      .orderBy('filename')
      .execute();
    expect(attachments).toEqual([
      { filename: 'notes.txt', content_type: 'text/plain', message_id: messages[0]!.id },
      { filename: 'receipt.png', content_type: 'image/png', message_id: messages[0]!.id },
    ]);
    expect(await counts(ws.id)).toMatchObject({ links: 1 });

    const status = await app.inject({ method: 'GET', url: statusPathOf(res.body) });
    expect(status.statusCode).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.body).toContain(`Request #${number}`);
    expect(status.body).toContain('Charged twice for March');
    expect(status.body).toContain('Received');
    expect(status.body).toContain('I was charged twice.');
    expect(status.body).toContain('<strong>You</strong>');
    const download = /href="(\/files\/[^"]+)" download>receipt\.png</.exec(status.body);
    expect(download).not.toBeNull();
    const file = await app.inject({ method: 'GET', url: decode(download![1]!) });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(TINY_PNG)).toBe(true);
  });

  it('adds a second request of the same topic to the open case and says so', async () => {
    const ws = await createWorkspace();
    const email = `${unique('again')}@example.test`;
    const first = await submit(ws, { email });
    const second = await post(
      `/help/${ws.slug}`,
      validFields({ email: email.toUpperCase(), subject: 'Still charged twice', message: 'Any news?' }),
    );
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain(`so we added your message to request #${first.kase.number}`);
    expect(await counts(ws.id)).toMatchObject({ cases: 1, messages: 2, customers: 1, links: 2 });
  });

  it('re-renders the form with 400, the problems and everything typed, and writes nothing', async () => {
    const ws = await createWorkspace();
    const before = await counts(ws.id);
    const typed = {
      name: 'Max <b>Bold</b>',
      email: 'not-an-email',
      category: 'lottery',
      subject: 'x'.repeat(201),
      message: 'Keep "this" text & more',
    };
    const res = await post(`/help/${ws.slug}`, typed, [{ name: 'a.txt', content: 'a' }]);
    expect(res.statusCode).toBe(400);
    const body = flat(res.body);
    expect(body).toContain('<title>Error: Contact us');
    expect(body).toMatch(/<div class="error-summary" tabindex="-1" autofocus aria-labelledby="error-summary-title">/);
    expect(body).toContain('<a href="#field-email">Enter an email address in the correct format, like name@example.com.</a>');
    expect(body).toContain('<a href="#field-category">Choose a topic.</a>');
    expect(body).toContain('<a href="#field-subject">The subject must be 200 characters or fewer.</a>');
    expect(body).toMatch(
      /id="field-email" name="email" value="not-an-email" maxlength="254" autocomplete="email" aria-describedby="field-email-hint field-email-error" aria-invalid="true"/,
    );
    expect(body).toContain('value="Max &lt;b&gt;Bold&lt;/b&gt;"');
    expect(body).toContain('Keep &quot;this&quot; text &amp; more</textarea>');
    expect(body).toContain(`value="${'x'.repeat(201)}"`);
    expect(body).toContain('please attach them again');
    expect(body).not.toContain('<b>Bold</b>');
    expect(await counts(ws.id)).toEqual(before);

    const empty = await post(`/help/${ws.slug}`, { name: '', email: '', category: '', subject: '  ', message: ' ' });
    expect(empty.statusCode).toBe(400);
    for (const text of ['Enter your email address.', 'Enter a subject.', 'Enter your message.']) expect(empty.body).toContain(text);
    const tooLong = await post(`/help/${ws.slug}`, validFields({ name: 'n'.repeat(201), message: 'm'.repeat(20_001) }));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Your name must be 200 characters or fewer.');
    expect(tooLong.body).toContain('The message must be 20000 characters or fewer.');
    const german = await post(`/help/${ws.slug}?lang=de`, validFields({ email: '' }));
    expect(german.body).toContain('Geben Sie Ihre E-Mail-Adresse ein.');
    expect(await counts(ws.id)).toEqual(before);
  });

  it('refuses an over-size upload with 413, keeps what was typed and writes nothing', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const before = await counts(ws.id);
    const fields = validFields({ message: `Please see the big file ${ws.id}` });
    const res = await post(`/help/${ws.slug}`, fields, [
      { name: 'small.txt', content: `small ${ws.id}` },
      { name: 'huge.bin', content: Buffer.alloc(ctx.config.maxUploadBytes + 10, 1) },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('Each file must be 2 MB or smaller.');
    expect(res.body).toContain(`Please see the big file ${ws.id}</textarea>`);
    const many = await post(
      `/help/${ws.slug}`,
      fields,
      Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, content: `file ${i} ${ws.id}` })),
    );
    expect(many.statusCode).toBe(413);
    expect(many.body).toContain('Attach at most 5 files.');
    expect(await counts(ws.id)).toEqual(before);

    // The reply form has the same limit, and also stores nothing.
    const { statusPath } = await submit(ws, { category: 'technical' });
    const afterSubmit = await counts(ws.id);
    const page = await (await getTestApp()).inject({ method: 'GET', url: statusPath });
    const reply = await post(`${statusPath}/reply`, { form_token: formTokenOf(page.body), message: 'big one' }, [
      { name: 'huge.bin', content: Buffer.alloc(ctx.config.maxUploadBytes + 10, 2) },
    ]);
    expect(reply.statusCode).toBe(413);
    expect(reply.body).toContain('big one</textarea>');
    expect(await counts(ws.id)).toEqual(afterSubmit);
  });

  it('limits submissions per IP and per email address with 429 and Retry-After', async () => {
    const ws = await createWorkspace();
    const ip = newIp();
    for (let i = 0; i < 10; i++) {
      const res = await post(`/help/${ws.slug}`, validFields({ email: 'bad' }), [], { 'x-forwarded-for': ip });
      expect(res.statusCode).toBe(400);
    }
    const limited = await post(`/help/${ws.slug}`, validFields(), [], { 'x-forwarded-for': ip });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.body).toContain('Too many requests');

    const email = `${unique('flood')}@example.test`;
    for (let i = 0; i < 5; i++) expect((await post(`/help/${ws.slug}`, validFields({ email, category: 'general' }))).statusCode).toBe(200);
    const before = await counts(ws.id);
    const byEmail = await post(`/help/${ws.slug}`, validFields({ email }));
    expect(byEmail.statusCode).toBe(429);
    expect(byEmail.headers['retry-after']).toBeDefined();
    expect(await counts(ws.id)).toEqual(before);
  });
});

describe('GET /help/status/:token', () => {
  it('shows public messages only, escaped, with agent names, and never internal notes', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const agent = await createAgent(ws, { name: 'Jana Support' });
    const { kase, statusPath } = await submit(ws, {
      subject: '<img src=x onerror=alert(1)>',
      message: 'Hi <script>alert("x")</script>\nline two',
    });
    await addMessage(db, agent.actor, kase.id, { bodyText: 'We refunded you & sent a receipt.', visibility: 'public' });
    await db
      .insertInto('messages')
      .values({
        workspace_id: ws.id,
        case_id: kase.id,
        visibility: 'internal',
        author_type: 'agent',
        author_agent_id: agent.id,
        channel: 'internal',
        body_text: 'INTERNAL: customer is a known fraud risk',
      })
      .execute();

    const res = await app.inject({ method: 'GET', url: statusPath });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('INTERNAL');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nline two');
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).not.toContain('<img');
    expect(res.body).toContain('<strong>Jana Support</strong>');
    expect(res.body).toContain('We refunded you &amp; sent a receipt.');
    expect(res.body).toContain('In progress');
    expect(res.body.indexOf('line two')).toBeLessThan(res.body.indexOf('We refunded you'));
  });

  it('answers 404 to a forged link and 410 to an expired or revoked one', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const { kase, statusPath } = await submit(ws);
    const forged = await app.inject({ method: 'GET', url: `/help/status/${'A'.repeat(43)}` });
    expect(forged.statusCode).toBe(404);
    expect(forged.body).toContain('Page not found');
    expect((await app.inject({ method: 'GET', url: '/help/status/short' })).statusCode).toBe(404);

    await db
      .updateTable('case_status_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('case_id', '=', kase.id)
      .execute();
    const expired = await app.inject({ method: 'GET', url: statusPath });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(expired.body).not.toContain(kase.subject);

    await db
      .updateTable('case_status_links')
      .set({ expires_at: new Date(Date.now() + 86_400_000), revoked_at: new Date() })
      .where('case_id', '=', kase.id)
      .execute();
    expect((await app.inject({ method: 'GET', url: statusPath })).statusCode).toBe(410);
  });

  it('lets links live workspaces.settings.statusLinkDays days', async () => {
    const { db } = await getTestContext();
    const ws = await createWorkspace();
    await db
      .updateTable('workspaces')
      .set({ settings: JSON.stringify({ statusLinkDays: 7 }) })
      .where('id', '=', ws.id)
      .execute();
    const { kase } = await submit(ws);
    const link = await db
      .selectFrom('case_status_links')
      .select(['expires_at', 'token_hash'])
      .where('case_id', '=', kase.id)
      .executeTakeFirstOrThrow();
    const days = (link.expires_at.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(link.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('POST /help/status/:token/reply', () => {
  it('posts a public customer message with attachments and redirects back (303)', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const { kase, statusPath } = await submit(ws);
    const page = await app.inject({ method: 'GET', url: statusPath });
    const res = await post(`${statusPath}/reply`, { form_token: formTokenOf(page.body), message: 'Here is the receipt.' }, [
      { name: 'receipt.png', content: TINY_PNG },
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${statusPath}?sent=1`);
    const messages = await db.selectFrom('messages').selectAll().where('case_id', '=', kase.id).orderBy('created_at').execute();
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({
      visibility: 'public',
      author_type: 'customer',
      author_customer_id: kase.customer_id,
      channel: 'web',
      body_text: 'Here is the receipt.',
    });
    const attachment = await db
      .selectFrom('attachments')
      .select(['message_id', 'filename'])
      .where('message_id', '=', messages[1]!.id)
      .executeTakeFirstOrThrow();
    expect(attachment.filename).toBe('receipt.png');

    const after = await app.inject({ method: 'GET', url: res.headers.location as string });
    expect(after.body).toContain('Your reply was sent.');
    expect(after.body).toContain('Here is the receipt.');
  });

  it('refuses a reply without the right form_token (403) and writes nothing', async () => {
    const { db } = await getTestContext();
    const ws = await createWorkspace();
    const { kase, statusPath } = await submit(ws);
    const before = await counts(ws.id);
    const missing = await post(`${statusPath}/reply`, { message: 'forged' }, [{ name: 'a.txt', content: `forged ${ws.id}` }]);
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    const wrong = await post(`${statusPath}/reply`, { form_token: 'x'.repeat(43), message: 'forged' });
    expect(wrong.statusCode).toBe(403);
    // A token of another link does not open this one.
    const other = await submit(ws, { category: 'technical' });
    const otherPage = await (await getTestApp()).inject({ method: 'GET', url: other.statusPath });
    const crossed = await post(`${statusPath}/reply`, { form_token: formTokenOf(otherPage.body), message: 'crossed' });
    expect(crossed.statusCode).toBe(403);
    const afterCounts = await counts(ws.id);
    expect(afterCounts.messages).toBe(before.messages + 1);
    expect(afterCounts.attachments).toBe(before.attachments);
    expect(await db.selectFrom('messages').select('id').where('case_id', '=', kase.id).execute()).toHaveLength(1);
  });

  it('re-renders the status page with 400 for an empty reply, 404/410 for bad links, and 422 on a closed case', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const { kase, statusPath } = await submit(ws);
    const token = formTokenOf((await app.inject({ method: 'GET', url: statusPath })).body);
    const empty = await post(`${statusPath}/reply`, { form_token: token, message: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#field-message">Enter your message.</a>');
    expect(empty.body).toContain('aria-invalid="true"');

    expect((await post(`/help/status/${'B'.repeat(43)}/reply`, { form_token: token, message: 'hi' })).statusCode).toBe(404);

    await db.updateTable('cases').set({ status: 'closed', closed_at: new Date() }).where('id', '=', kase.id).execute();
    const closedPage = await app.inject({ method: 'GET', url: statusPath });
    expect(closedPage.body).toContain('This request is closed.');
    expect(closedPage.body).not.toContain('name="form_token"');
    const closed = await post(`${statusPath}/reply`, { form_token: token, message: 'Hello again' });
    expect(closed.statusCode).toBe(422);
    expect(closed.body).toContain('Hello again</textarea>');

    await db
      .updateTable('case_status_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('case_id', '=', kase.id)
      .execute();
    expect((await post(`${statusPath}/reply`, { form_token: token, message: 'late' })).statusCode).toBe(410);
    expect(await db.selectFrom('messages').select('id').where('case_id', '=', kase.id).execute()).toHaveLength(1);
  });
});
