import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { servedContentType, sniffContentType } from './content-type.js';
import { attachmentDisposition, cleanFilename } from './filename.js';
import { attachFilesToMessage, embeddedImagePath, listAttachmentsForMessages, signedFileUrl, storeUpload } from './service.js';
import { contentPath, sha256Of } from './storage.js';
import { multipartBody, TINY_PNG } from './test-multipart.js';

async function countAttachments(workspaceId: string): Promise<number> {
  const { db } = await getTestContext();
  const row = await db
    .selectFrom('attachments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A case with one public message, written directly: these tests are about files, not cases. */
async function messageIn(workspaceId: string) {
  const { db } = await getTestContext();
  const customer = await db
    .insertInto('customers')
    .values({ workspace_id: workspaceId, name: 'File Customer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const number = 2000 + Math.floor(Math.random() * 1_000_000);
  const kase = await db
    .insertInto('cases')
    .values({ workspace_id: workspaceId, number, subject: 'Files', channel: 'web', customer_id: customer.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({
      workspace_id: workspaceId,
      case_id: kase.id,
      visibility: 'public',
      author_type: 'customer',
      author_customer_id: customer.id,
      channel: 'web',
      body_text: 'see attached',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { caseId: kase.id, customerId: customer.id, messageId: message.id };
}

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

describe('filenames', () => {
  it('removes path parts, control and bidi characters, and keeps names at most 255 characters', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\me\\invoice.pdf')).toBe('invoice.pdf');
    expect(cleanFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFilename('a\u0000b\u0007c\r\n.txt')).toBe('abc.txt');
    expect(cleanFilename('zero\u200Bwidth\u2066.txt')).toBe('zerowidth.txt');
    expect(cleanFilename('  ..hidden  ')).toBe('hidden');
    expect(cleanFilename('..')).toBe('attachment');
    expect(cleanFilename('')).toBe('attachment');
    expect(cleanFilename(undefined)).toBe('attachment');
    expect(cleanFilename('dir/')).toBe('attachment');
    expect(cleanFilename('Rechnung März.pdf')).toBe('Rechnung März.pdf');
    const long = cleanFilename(`${'a'.repeat(400)}.pdf`);
    expect(Array.from(long)).toHaveLength(255);
    expect(long.endsWith('.pdf')).toBe(true);
    const emoji = cleanFilename('😀'.repeat(300));
    expect(Array.from(emoji)).toHaveLength(255);
    expect(emoji).toBe('😀'.repeat(255));
  });

  it('builds a Content-Disposition that cannot be broken by the name', () => {
    expect(attachmentDisposition('Rechnung März "1".pdf')).toBe(
      `attachment; filename="Rechnung M_rz _1_.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%221%22.pdf`,
    );
  });
});

describe('content types', () => {
  it('decides from the bytes only', async () => {
    expect(await sniffContentType(TINY_PNG)).toBe('image/png');
    expect(await sniffContentType(Buffer.from('<html><script>alert(1)</script></html>'))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('Grüße, plain UTF-8 text\n'))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]))).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.from([0xc3, 0x28, 0x41]))).toBe('application/octet-stream');
  });

  it('never serves active content as itself', () => {
    for (const type of [
      'text/html',
      'image/svg+xml',
      'application/xml',
      'text/xml',
      'application/javascript',
      'text/javascript',
      'application/xhtml+xml',
    ]) {
      expect(servedContentType(type)).toBe('application/octet-stream');
    }
    expect(servedContentType('text/plain')).toBe('text/plain; charset=utf-8');
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('application/pdf')).toBe('application/pdf');
  });
});

describe('storeUpload', () => {
  it('stores the same content once, never a half-written file, and sniffs the type', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const bytes = Buffer.concat([TINY_PNG, Buffer.from(ws.id)]);
    const first = await storeUpload(ctx, { workspaceId: ws.id, filename: 'photo.html', bytes });
    const second = await storeUpload(ctx, { workspaceId: ws.id, filename: '../second.png', bytes });
    expect(first.content_type).toBe('image/png');
    expect(first.filename).toBe('photo.html');
    expect(second.filename).toBe('second.png');
    expect(first.size_bytes).toBe(bytes.length);
    expect(first.id).not.toBe(second.id);
    const sha = sha256Of(bytes);
    const dir = path.join(ctx.filesDir, sha.slice(0, 2));
    expect(fs.readdirSync(dir).filter((f) => f.includes(sha))).toEqual([sha]);
    expect(fs.readFileSync(contentPath(ctx.filesDir, sha)).equals(bytes)).toBe(true);
    const rows = await ctx.db.selectFrom('attachments').select(['sha256', 'message_id']).where('id', 'in', [first.id, second.id]).execute();
    expect(rows).toEqual([
      { sha256: sha, message_id: null },
      { sha256: sha, message_id: null },
    ]);
  });
});

describe('attaching and listing', () => {
  it('attaches only unattached attachments of the same workspace, all or nothing', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const other = await createWorkspace();
    const agent = await createAgent(ws);
    const { messageId } = await messageIn(ws.id);
    const a = await storeUpload(ctx, { workspaceId: ws.id, filename: 'a.txt', bytes: Buffer.from('a') });
    const b = await storeUpload(ctx, { workspaceId: ws.id, filename: 'b.txt', bytes: Buffer.from('b') });
    const foreign = await storeUpload(ctx, { workspaceId: other.id, filename: 'f.txt', bytes: Buffer.from('f') });

    await expect(attachFilesToMessage(ctx.db, agent.actor, [a.id, foreign.id], messageId)).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'attachment.not_attachable',
    });
    // Nothing half-done: a stayed unattached.
    const stillFree = await ctx.db.selectFrom('attachments').select('message_id').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(stillFree.message_id).toBeNull();
    await expect(attachFilesToMessage(ctx.db, agent.actor, ['not-a-uuid'], messageId)).rejects.toMatchObject({
      code: 'attachment.not_attachable',
    });

    await attachFilesToMessage(ctx.db, agent.actor, [a.id, b.id, a.id], messageId);
    await expect(attachFilesToMessage(ctx.db, agent.actor, [a.id], messageId)).rejects.toMatchObject({ code: 'attachment.not_attachable' });

    const map = await listAttachmentsForMessages(ctx.db, agent.actor, [messageId]);
    const list = map.get(messageId)!;
    expect(list.map((x) => x.filename).sort()).toEqual(['a.txt', 'b.txt']);
    const app = await getTestApp();
    const res = await app.inject({ method: 'GET', url: list[0]!.url });
    expect(res.statusCode).toBe(200);

    const outsider = await createAgent(other);
    expect((await listAttachmentsForMessages(ctx.db, outsider.actor, [messageId])).size).toBe(0);
  });
});

describe('GET /files/:id/:filename (signed downloads)', () => {
  it('serves a signed link as a download with safe headers', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const html = '<html><body><script>alert(1)</script></body></html>';
    const stored = await storeUpload(ctx, { workspaceId: ws.id, filename: 'Rechnung März.html', bytes: Buffer.from(html) });
    const url = signedFileUrl(ctx, stored.id, { filename: stored.filename });
    expect(url.startsWith(`${ctx.config.publicUrl}/files/${stored.id}/`)).toBe(true);
    const res = await app.inject({ method: 'GET', url: pathOf(url) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(html);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Rechnung M_rz.html"; filename*=UTF-8''Rechnung%20M%C3%A4rz.html`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    // Without the cosmetic filename segment too.
    const bare = await app.inject({ method: 'GET', url: pathOf(signedFileUrl(ctx, stored.id)) });
    expect(bare.statusCode).toBe(200);
  });

  it('serves stored active types (HTML, SVG) as application/octet-stream', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><!-- ${ws.id} --></svg>`);
    const stored = await storeUpload(ctx, { workspaceId: ws.id, filename: 'logo.svg', bytes: svg });
    // Even a row recorded with an active type (e.g. by an older version) is never served as one.
    for (const type of ['image/svg+xml', 'text/html']) {
      await ctx.db.updateTable('attachments').set({ content_type: type }).where('id', '=', stored.id).execute();
      const res = await app.inject({ method: 'GET', url: pathOf(signedFileUrl(ctx, stored.id)) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('answers 404 to forged or missing signatures and 410 to expired ones', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const stored = await storeUpload(ctx, { workspaceId: ws.id, filename: 'a.txt', bytes: Buffer.from(`secret ${ws.id}`) });
    const other = await storeUpload(ctx, { workspaceId: ws.id, filename: 'b.txt', bytes: Buffer.from(`other ${ws.id}`) });
    const good = pathOf(signedFileUrl(ctx, stored.id));
    const sig = new URL(good, 'http://x').searchParams.get('sig')!;

    const forged = await app.inject({ method: 'GET', url: `/files/${stored.id}?sig=${sig.slice(0, -2)}xx` });
    expect(forged.statusCode).toBe(404);
    expect(forged.headers['content-type']).toMatch(/^text\/html/);
    expect(forged.body).not.toContain('secret');
    // A valid signature is bound to its attachment.
    expect((await app.inject({ method: 'GET', url: `/files/${other.id}?sig=${sig}` })).statusCode).toBe(404);
    // A longer expiry with the old signature does not verify.
    const [exp, mac] = sig.split('.');
    expect((await app.inject({ method: 'GET', url: `/files/${stored.id}?sig=${Number(exp) + 100000}.${mac}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/files/${stored.id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/files/not-a-uuid?sig=${sig}` })).statusCode).toBe(404);

    const expired = pathOf(signedFileUrl(ctx, stored.id, { expiresAt: new Date(Date.now() - 60_000) }));
    const gone = await app.inject({ method: 'GET', url: expired, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('abgelaufen');
  });
});

describe('GET /files/:id?embed= (inline email images)', () => {
  it('serves raster images inline and cross-origin for the sandboxed email frame, nothing else', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const image = await storeUpload(ctx, { workspaceId: ws.id, filename: 'receipt.png', bytes: TINY_PNG });
    const res = await app.inject({ method: 'GET', url: embeddedImagePath(ctx.secret, image.id) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe('inline');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // A normal download link stays same-origin, and its signature is no embed signature.
    const download = pathOf(signedFileUrl(ctx, image.id));
    expect((await app.inject({ method: 'GET', url: download })).headers['cross-origin-resource-policy']).toBe('same-origin');
    const sig = new URL(download, 'http://x').searchParams.get('sig')!;
    expect((await app.inject({ method: 'GET', url: `/files/${image.id}?embed=${sig}` })).statusCode).toBe(404);
    // Anything but a raster image is never embedded.
    const text = await storeUpload(ctx, { workspaceId: ws.id, filename: 'note.txt', bytes: Buffer.from(`note ${ws.id}`) });
    expect((await app.inject({ method: 'GET', url: embeddedImagePath(ctx.secret, text.id) })).statusCode).toBe(404);
    const expired = embeddedImagePath(ctx.secret, image.id, new Date(Date.now() - 60_000));
    expect((await app.inject({ method: 'GET', url: expired })).statusCode).toBe(410);
  });
});

describe('POST /api/v1/attachments', () => {
  it('stores uploaded files unattached, deciding type and name itself', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const body = await multipartBody({}, [
      { field: 'file', name: '../../etc/pa\u202Esswd.txt', content: `hello ${ws.id}`, type: 'text/html' },
      { field: 'file', name: 'pixel.exe', content: TINY_PNG, type: 'application/x-msdownload' },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: body.payload,
      headers: { ...body.headers, ...agent.headers },
    });
    expect(res.statusCode).toBe(201);
    const list = res.json<{ id: string; filename: string; content_type: string; size_bytes: number }[]>();
    expect(list.map((a) => [a.filename, a.content_type])).toEqual([
      ['passwd.txt', 'text/plain'],
      ['pixel.exe', 'image/png'],
    ]);
    expect(list[1]!.size_bytes).toBe(TINY_PNG.length);
    const rows = await ctx.db
      .selectFrom('attachments')
      .select(['workspace_id', 'message_id'])
      .where(
        'id',
        'in',
        list.map((a) => a.id),
      )
      .execute();
    expect(rows).toEqual([
      { workspace_id: ws.id, message_id: null },
      { workspace_id: ws.id, message_id: null },
    ]);

    // The same Idempotency-Key returns the first result instead of storing twice.
    const again = await multipartBody({}, [{ field: 'file', name: 'x.txt', content: `once ${ws.id}` }]);
    const headers = { ...again.headers, ...agent.tokenHeaders, 'idempotency-key': `k-${ws.id}` };
    const r1 = await app.inject({ method: 'POST', url: '/api/v1/attachments', payload: again.payload, headers });
    const r2 = await app.inject({ method: 'POST', url: '/api/v1/attachments', payload: again.payload, headers });
    expect(r1.statusCode).toBe(201);
    expect(r2.json()).toEqual(r1.json());
    expect(await countAttachments(ws.id)).toBe(3);
  });

  it('refuses an over-size file with 413 payload_too_large and stores nothing', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const big = Buffer.alloc(ctx.config.maxUploadBytes + 1, 0x61);
    const small = Buffer.from(`small ${ws.id}`);
    const body = await multipartBody({}, [
      { field: 'file', name: 'small.txt', content: small },
      { field: 'file', name: 'big.txt', content: big },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: body.payload,
      headers: { ...body.headers, ...agent.headers },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('payload_too_large');
    expect(await countAttachments(ws.id)).toBe(0);
    expect(fs.existsSync(contentPath(ctx.filesDir, sha256Of(small)))).toBe(false);
  });

  it('refuses requests without files, with other fields, not multipart, or unauthenticated', async () => {
    const app = await getTestApp();
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const empty = await multipartBody({});
    const r1 = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: empty.payload,
      headers: { ...empty.headers, ...agent.headers },
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json<{ error: { code: string } }>().error.code).toBe('attachment.no_files');
    const extra = await multipartBody({ note: 'x' }, [{ name: 'a.txt', content: 'a' }]);
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: extra.payload,
      headers: { ...extra.headers, ...agent.headers },
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json<{ error: { code: string } }>().error.code).toBe('attachment.unexpected_field');
    const json = await app.inject({ method: 'POST', url: '/api/v1/attachments', payload: { file: 'x' }, headers: agent.headers });
    expect(json.statusCode).toBe(415);
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/attachments', payload: empty.payload, headers: empty.headers });
    expect(anonymous.statusCode).toBe(401);
    // A session without its CSRF header may not upload.
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: extra.payload,
      headers: { ...extra.headers, cookie: agent.headers.cookie! },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await countAttachments(ws.id)).toBe(0);
  });

  it('rate-limits uploads per agent (429 with Retry-After)', async () => {
    const ctx = await getTestContext();
    const app = await getTestApp();
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const windowMs = 600_000;
    const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
    await ctx.db
      .insertInto('rate_limit_hits')
      .values({ bucket: `upload:agent:${agent.id}`, window_start: windowStart, hits: 120 })
      .execute();
    const body = await multipartBody({}, [{ name: 'a.txt', content: 'a' }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      payload: body.payload,
      headers: { ...body.headers, ...agent.headers },
    });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countAttachments(ws.id)).toBe(0);
  });
});
