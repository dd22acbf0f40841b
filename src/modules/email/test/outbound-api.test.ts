import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, type TestWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { storeUpload } from '../../files/service.js';
import type { OutboundMailStatus } from '../schema.js';
import { emailWorld, inboundEmailCase } from '../outbound/test-support.js';

/** The sent-mail viewer and notification preferences over HTTP (rows written directly; delivery is tested elsewhere). */

beforeAll(async () => {
  await getTestApp();
});

interface ErrorBody {
  error: { code: string; details?: { fields?: { field: string; problem: string }[] } };
}
interface MailView {
  id: string;
  kind: string;
  case_id: string | null;
  case_number: number | null;
  status: string;
  subject: string;
}

let sequence = 0;

async function insertMail(
  ws: TestWorkspace,
  values: {
    caseId?: string | null;
    status?: OutboundMailStatus;
    kind?: 'reply' | 'notification' | 'acknowledgement';
    recipientAgentId?: string | null;
    raw?: Buffer | null;
    attachmentIds?: string[];
  } = {},
): Promise<string> {
  const { db } = await getTestContext();
  sequence += 1;
  const row = await db
    .insertInto('outbound_mail')
    .values({
      workspace_id: ws.id,
      kind: values.kind ?? 'reply',
      case_id: values.caseId ?? null,
      recipient_agent_id: values.recipientAgentId ?? null,
      from_address: '"Acme" <support@acme.test>',
      to_addresses: ['casey@customer.test'],
      subject: `Mail ${sequence}`,
      message_id_header: `${crypto.randomUUID()}@acme.test`,
      body_text: `Body ${sequence}`,
      body_html: `<p>Body ${sequence}</p>`,
      attachment_ids: values.attachmentIds ?? [],
      raw: values.raw === undefined ? Buffer.from(`Subject: Mail ${sequence}\r\n\r\nBody\r\n`) : values.raw,
      status: values.status ?? 'sent',
      // Distinct, ordered creation times: the list is newest first.
      created_at: new Date(Date.now() + sequence),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function get(url: string, headers: Record<string, string>) {
  const app = await getTestApp();
  return app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
}

describe('sent-mail viewer', () => {
  it('lists the workspace’s mail newest first for admins, filtered by case and status, page by page', async () => {
    const world = await emailWorld({ agentRole: 'admin' });
    const caseA = await inboundEmailCase(world);
    const caseB = await inboundEmailCase(world);
    const a1 = await insertMail(world.ws, { caseId: caseA.id });
    const a2 = await insertMail(world.ws, { caseId: caseA.id, status: 'failed' });
    const b1 = await insertMail(world.ws, { caseId: caseB.id, status: 'kept' });
    const other = await createWorkspace();
    await insertMail(other, {});

    const all = await get('/outbound-mail', world.agent.headers);
    expect(all.statusCode, all.body).toBe(200);
    const body = all.json<{ items: MailView[]; next_cursor: string | null }>();
    expect(body.items.map((m) => m.id)).toEqual([b1, a2, a1]);
    expect(body.next_cursor).toBeNull();
    expect(body.items[0]).toMatchObject({ case_id: caseB.id, case_number: caseB.number, status: 'kept', kind: 'reply' });

    const byCase = await get(`/outbound-mail?case_id=${caseA.id}`, world.agent.headers);
    expect(byCase.json<{ items: MailView[] }>().items.map((m) => m.id)).toEqual([a2, a1]);
    const failed = await get('/outbound-mail?status=failed', world.agent.headers);
    expect(failed.json<{ items: MailView[] }>().items.map((m) => m.id)).toEqual([a2]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof get>> = await get(
        `/outbound-mail?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        world.agent.headers,
      );
      const json = page.json<{ items: MailView[]; next_cursor: string | null }>();
      expect(json.items.length).toBeLessThanOrEqual(1);
      seen.push(...json.items.map((m) => m.id));
      cursor = json.next_cursor;
    } while (cursor);
    expect(seen).toEqual([b1, a2, a1]);
  });

  it('refuses bad filters and cursors with 400', async () => {
    const world = await emailWorld({ agentRole: 'admin' });
    for (const query of ['status=lost', 'case_id=42', 'limit=0', 'limit=101', 'cursor=%21%21', 'unknown=1']) {
      const res = await get(`/outbound-mail?${query}`, world.agent.headers);
      expect(res.statusCode, query).toBe(400);
    }
    const badCursor = await get(`/outbound-mail?cursor=${Buffer.from('["x"]').toString('base64url')}`, world.agent.headers);
    expect(badCursor.json<ErrorBody>().error.code).toBe('pagination.invalid_cursor');
  });

  it('shows one mail with its text, HTML and attachment names, and its raw message as a download', async () => {
    const world = await emailWorld({ agentRole: 'supervisor' });
    const ctx = await getTestContext();
    const kase = await inboundEmailCase(world);
    const file = await storeUpload(ctx, { workspaceId: world.ws.id, filename: 'receipt.txt', bytes: Buffer.from('paid twice\n') });
    const id = await insertMail(world.ws, { caseId: kase.id, attachmentIds: [file.id], raw: Buffer.from('Subject: Hi\r\n\r\nBody\r\n') });

    const res = await get(`/outbound-mail/${id}`, world.agent.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      case_number: kase.number,
      body_text: expect.stringMatching(/^Body \d+$/) as unknown,
      body_html: expect.stringMatching(/^<p>Body \d+<\/p>$/) as unknown,
      attachments: [{ filename: 'receipt.txt', size: 11 }],
    });

    const raw = await get(`/outbound-mail/${id}/raw`, world.agent.headers);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="outbound-${id}.eml"`);
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.body).toBe('Subject: Hi\r\n\r\nBody\r\n');

    const queued = await insertMail(world.ws, { caseId: kase.id, status: 'queued', raw: null });
    const notYet = await get(`/outbound-mail/${queued}/raw`, world.agent.headers);
    expect(notYet.statusCode).toBe(404);
    expect(notYet.json<ErrorBody>().error.code).toBe('outbound_mail.not_composed');
  });

  it('lets agents see mail per case only, and of notifications only their own', async () => {
    const world = await emailWorld();
    const agent = world.agent;
    const colleague = await createAgent(world.ws);
    const kase = await inboundEmailCase(world);
    const replyMail = await insertMail(world.ws, { caseId: kase.id });
    const mine = await insertMail(world.ws, { caseId: kase.id, kind: 'notification', recipientAgentId: agent.id });
    const theirs = await insertMail(world.ws, { caseId: kase.id, kind: 'notification', recipientAgentId: colleague.id });
    const caseless = await insertMail(world.ws, { kind: 'notification', recipientAgentId: colleague.id });

    const all = await get('/outbound-mail', agent.headers);
    expect(all.statusCode).toBe(403);
    expect(all.json<ErrorBody>().error.code).toBe('outbound_mail.case_required');

    const list = await get(`/outbound-mail?case_id=${kase.id}`, agent.tokenHeaders);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: MailView[] }>().items.map((m) => m.id)).toEqual([mine, replyMail]);

    expect((await get(`/outbound-mail/${replyMail}`, agent.headers)).statusCode).toBe(200);
    expect((await get(`/outbound-mail/${mine}/raw`, agent.headers)).statusCode).toBe(200);
    for (const hidden of [theirs, caseless]) {
      expect((await get(`/outbound-mail/${hidden}`, agent.headers)).statusCode).toBe(404);
      expect((await get(`/outbound-mail/${hidden}/raw`, agent.headers)).statusCode).toBe(404);
    }
    const unknownCase = await get(`/outbound-mail?case_id=${crypto.randomUUID()}`, agent.headers);
    expect(unknownCase.statusCode).toBe(404);
    expect(unknownCase.json<ErrorBody>().error.code).toBe('case.not_found');
  });

  it('answers 404 for another workspace’s mail and never lists it', async () => {
    const world = await emailWorld();
    const kase = await inboundEmailCase(world);
    const id = await insertMail(world.ws, { caseId: kase.id, status: 'failed' });
    const outsiderWs = await createWorkspace();
    const outsider = await createAgent(outsiderWs, { role: 'admin' });
    const app = await getTestApp();
    for (const url of [`/outbound-mail/${id}`, `/outbound-mail/${id}/raw`]) {
      const res = await get(url, outsider.headers);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<ErrorBody>().error.code).toBe('outbound_mail.not_found');
    }
    const retry = await app.inject({ method: 'POST', url: `/api/v1/outbound-mail/${id}/retry`, headers: outsider.headers });
    expect(retry.statusCode).toBe(404);
    const list = await get(`/outbound-mail?case_id=${kase.id}`, outsider.headers);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: MailView[] }>().items).toEqual([]);
    expect((await get('/outbound-mail/not-a-uuid', outsider.headers)).statusCode).toBe(404);
  });

  it('lets admins retry failed mail only, audited', async () => {
    const world = await emailWorld();
    const { db } = await getTestContext();
    const admin = await createAgent(world.ws, { role: 'admin' });
    const supervisor = await createAgent(world.ws, { role: 'supervisor' });
    const failed = await insertMail(world.ws, { status: 'failed' });
    const sent = await insertMail(world.ws, { status: 'sent' });
    const app = await getTestApp();
    const retry = (id: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/api/v1/outbound-mail/${id}/retry`, headers });

    expect((await retry(failed, world.agent.headers)).statusCode).toBe(403);
    expect((await retry(failed, supervisor.headers)).statusCode).toBe(403);
    const notFailed = await retry(sent, admin.headers);
    expect(notFailed.statusCode).toBe(422);
    expect(notFailed.json<ErrorBody>().error.code).toBe('outbound_mail.not_failed');
    const withoutCsrf = await app.inject({
      method: 'POST',
      url: `/api/v1/outbound-mail/${failed}/retry`,
      headers: { cookie: admin.headers.cookie! },
    });
    expect(withoutCsrf.statusCode).toBe(403);

    const ok = await retry(failed, admin.headers);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id: failed, status: 'queued', attempts: 0 });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'target_id'])
      .where('workspace_id', '=', world.ws.id)
      .where('action', '=', 'outbound_mail.retried')
      .execute();
    expect(audit).toEqual([{ action: 'outbound_mail.retried', actor_id: admin.id, target_id: failed }]);
    // Queued now, so a second retry is refused.
    expect((await retry(failed, admin.headers)).statusCode).toBe(422);
  });
});

describe('email preferences', () => {
  it('starts with both notifications on and changes only the signed-in agent’s own', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const other = await createAgent(ws);
    const app = await getTestApp();
    expect((await get('/me/email-preferences', agent.headers)).json()).toEqual({ on_assignment: true, on_customer_reply: true });

    const put = (payload: unknown, headers = agent.headers) =>
      app.inject({ method: 'PUT', url: '/api/v1/me/email-preferences', headers, payload: payload as object });
    const first = await put({ on_assignment: false });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ on_assignment: false, on_customer_reply: true });
    expect((await put({ on_customer_reply: false })).json()).toEqual({ on_assignment: false, on_customer_reply: false });
    expect((await put({ on_assignment: true }, agent.tokenHeaders)).json()).toEqual({ on_assignment: true, on_customer_reply: false });
    expect((await get('/me/email-preferences', agent.headers)).json()).toEqual({ on_assignment: true, on_customer_reply: false });
    expect((await get('/me/email-preferences', other.headers)).json()).toEqual({ on_assignment: true, on_customer_reply: true });
  });

  it('refuses unknown fields and wrong types with 400', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const app = await getTestApp();
    const unknown = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/email-preferences',
      headers: agent.headers,
      payload: { on_assignment: true, on_everything: true },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error).toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ field: 'on_everything', problem: 'is not a known field' }] },
    });
    const wrongType = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/email-preferences',
      headers: agent.headers,
      payload: { on_assignment: 'yes' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect((await get('/me/email-preferences', agent.headers)).json()).toEqual({ on_assignment: true, on_customer_reply: true });
  });
});
