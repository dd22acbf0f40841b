import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import type { CustomerActor } from '../../platform/actor.js';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { addMessage, listPublicMessages, getCase } from './service.js';
import {
  caseWorld,
  eventTypes,
  getCaseView,
  historyCounts,
  messagesOf,
  newCustomer,
  patchCase,
  postCase,
  postMessage,
  type ErrorResponse,
  type AddMessageResponse,
} from './test-support.js';
import type { CaseView, MessageView } from './views.js';

// Building the app and loading the database template is slow on a busy machine: not inside a test's time budget.
beforeAll(async () => {
  await getTestApp();
});

const customerOf = (workspaceId: string, customerId: string, caseId?: string): CustomerActor => ({
  kind: 'customer',
  workspaceId,
  customerId,
  ...(caseId ? { caseId } : {}),
});

describe('messages', () => {
  it('opens a new case on the first public reply and records the reply time', async () => {
    const { db, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    const note = await postMessage(agent, view.id, { body: 'Checking with finance', visibility: 'internal' });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json<AddMessageResponse>().case).toMatchObject({ status: 'new', version: 2 });
    expect(note.json<AddMessageResponse>().message).toMatchObject({
      visibility: 'internal',
      author_type: 'agent',
      channel: 'internal',
      author: { id: agent.id },
    });
    const reply = await postMessage(agent, view.id, { body: 'We are on it', visibility: 'public' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json<AddMessageResponse>().case).toMatchObject({ status: 'open', version: 3 });
    expect(reply.json<AddMessageResponse>().message).toMatchObject({ channel: 'api', attachments: [] });
    const row = await db
      .selectFrom('cases')
      .select(['first_agent_reply_at', 'last_customer_message_at', 'last_message_at'])
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(row.first_agent_reply_at).not.toBeNull();
    expect(row.last_message_at.getTime()).toBeGreaterThanOrEqual(row.first_agent_reply_at!.getTime());
    expect(await eventTypes(view.id)).toEqual(['created', 'message_added', 'message_added', 'message_added', 'status_changed']);
    // A later reply keeps the first reply time.
    await postMessage(agent, view.id, { body: 'Still on it', visibility: 'public' });
    const again = await db.selectFrom('cases').select('first_agent_reply_at').where('id', '=', view.id).executeTakeFirstOrThrow();
    expect(again.first_agent_reply_at).toEqual(row.first_agent_reply_at);
  });

  it('applies status_after, and refuses an illegal one without writing the message', async () => {
    const { agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    const pending = await postMessage(agent, view.id, { body: 'Please send the receipt', visibility: 'public', status_after: 'pending' });
    expect(pending.json<AddMessageResponse>().case.status).toBe('pending');
    const before = await historyCounts([view.id]);
    const illegal = await postMessage(agent, view.id, { body: 'x', visibility: 'public', status_after: 'closed' });
    expect(illegal.statusCode).toBe(422);
    expect(illegal.json<ErrorResponse>().error).toMatchObject({
      code: 'case.illegal_transition',
      details: { from: 'pending', to: 'closed' },
    });
    expect(await historyCounts([view.id])).toEqual(before);
    expect(await messagesOf(agent, view.id)).toHaveLength(2);
  });

  it('reopens pending and solved cases when the customer writes; a closed case refuses messages', async () => {
    const { ctx, workspace, agent, customerId } = await caseWorld();
    for (const status of ['pending', 'solved'] as const) {
      let view = await postCase(agent, { customer_id: customerId });
      view = (await patchCase(agent, view.id, { version: view.version, status })).json<CaseView>();
      await addMessage(ctx.db, customerOf(workspace.id, customerId, view.id), view.id, { bodyText: 'Any news?', visibility: 'public' });
      const after = await getCaseView(agent, view.id);
      expect(after.status, status).toBe('open');
      expect(after.solved_at).toBeNull();
    }
    let closed = await postCase(agent, { customer_id: customerId });
    closed = (await patchCase(agent, closed.id, { version: 1, status: 'solved' })).json<CaseView>();
    closed = (await patchCase(agent, closed.id, { version: closed.version, status: 'closed' })).json<CaseView>();
    await expect(
      addMessage(ctx.db, customerOf(workspace.id, customerId, closed.id), closed.id, { bodyText: 'Hello?', visibility: 'public' }),
    ).rejects.toMatchObject({
      code: 'case.closed',
    });
    const agentReply = await postMessage(agent, closed.id, { body: 'x', visibility: 'public' });
    expect(agentReply.statusCode).toBe(422);
    expect(agentReply.json<ErrorResponse>().error.code).toBe('case.closed');
  });

  it('keeps internal notes out of the public conversation', async () => {
    const { ctx, workspace, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    await postMessage(agent, view.id, { body: 'Secret: customer is a fraud risk', visibility: 'internal' });
    await postMessage(agent, view.id, { body: 'Thanks, refund sent', visibility: 'public' });
    const customer = customerOf(workspace.id, customerId, view.id);
    const visible = await listPublicMessages(ctx.db, customer, view.id);
    expect(visible.map((m) => m.body_text)).toEqual(['Please check invoice 42.', 'Thanks, refund sent']);
    expect(visible.every((m) => m.visibility === 'public')).toBe(true);
    expect(JSON.stringify(visible)).not.toContain('fraud');
    expect(visible[1]!.author).toMatchObject({ id: agent.id });
    // Agents see the note.
    expect((await messagesOf(agent, view.id)).map((m) => m.visibility)).toEqual(['public', 'internal', 'public']);
  });

  it('lets a customer write only public messages on their own case', async () => {
    const { ctx, workspace, agent, customerId } = await caseWorld();
    const mine = await postCase(agent, { customer_id: customerId });
    const other = await postCase(agent, { customer_id: await newCustomer(workspace) });
    const ownOther = await postCase(agent, { customer_id: customerId });
    const customer = customerOf(workspace.id, customerId, mine.id);
    const message = await addMessage(ctx.db, customer, mine.id, {
      bodyText: 'More details\u0000 here',
      visibility: 'public',
      metadata: { via: 'status link' },
    });
    expect(message).toMatchObject({
      author_type: 'customer',
      visibility: 'public',
      body_text: 'More details here',
      author: { id: customerId },
    });
    expect(message.metadata).toEqual({});
    await expect(addMessage(ctx.db, customer, mine.id, { bodyText: 'x', visibility: 'internal' })).rejects.toMatchObject({
      code: 'case.internal_not_allowed',
    });
    for (const caseId of [other.id, ownOther.id]) {
      await expect(addMessage(ctx.db, customer, caseId, { bodyText: 'x', visibility: 'public' })).rejects.toMatchObject({
        code: 'case.not_found',
      });
      await expect(listPublicMessages(ctx.db, customer, caseId)).rejects.toMatchObject({ code: 'case.not_found' });
      await expect(getCase(ctx.db, customer, caseId)).rejects.toMatchObject({ code: 'case.not_found' });
    }
    expect((await getCase(ctx.db, customer, mine.id)).id).toBe(mine.id);
    // A status link without a case opens nothing.
    await expect(listPublicMessages(ctx.db, customerOf(workspace.id, customerId), mine.id)).rejects.toMatchObject({
      code: 'case.not_found',
    });
    const foreign = customerOf((await createWorkspace()).id, customerId, mine.id);
    await expect(listPublicMessages(ctx.db, foreign, mine.id)).rejects.toMatchObject({ code: 'case.not_found' });
  });

  it('strips NUL characters and enforces the body limits', async () => {
    const { app, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    const ok = await postMessage(agent, view.id, { body: 'a\u0000b', visibility: 'public' });
    expect(ok.json<AddMessageResponse>().message.body_text).toBe('ab');
    const max = await postMessage(agent, view.id, { body: 'x'.repeat(100_000), visibility: 'internal' });
    expect(max.statusCode).toBe(201);
    for (const [payload, status] of [
      [{ body: 'x'.repeat(100_001), visibility: 'public' }, 400],
      [{ body: '', visibility: 'public' }, 400],
      [{ body: '\u0000\u0000', visibility: 'public' }, 400],
      [{ body: 'hi' }, 400],
      [{ body: 'hi', visibility: 'secret' }, 400],
      [{ body: 'hi', visibility: 'public', author_type: 'customer' }, 400],
      [{ body: 'hi', visibility: 'public', attachment_ids: ['nope'] }, 400],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/messages`, headers: agent.headers, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(status);
    }
  });

  it('refuses attachments that are not attachable and writes nothing', async () => {
    const { agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    const before = await historyCounts([view.id]);
    const res = await postMessage(agent, view.id, {
      body: 'see file',
      visibility: 'public',
      attachment_ids: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorResponse>().error.code).toBe('attachment.not_attachable');
    expect(await historyCounts([view.id])).toEqual(before);
    expect(await messagesOf(agent, view.id)).toHaveLength(1);
  });

  it('attaches uploaded files and lists them with the message (batched)', async () => {
    const { ctx, workspace, agent, customerId } = await caseWorld();
    const { storeUpload } = await import('../files/service.js');
    const file = await storeUpload(ctx, { workspaceId: workspace.id, filename: 'receipt.txt', bytes: Buffer.from('paid 10 EUR') });
    const view = await postCase(agent, { customer_id: customerId });
    const res = await postMessage(agent, view.id, { body: 'Receipt attached', visibility: 'public', attachment_ids: [file.id] });
    expect(res.statusCode, res.body).toBe(201);
    const attachments = res.json<AddMessageResponse>().message.attachments;
    expect(attachments).toMatchObject([{ id: file.id, filename: 'receipt.txt', size_bytes: 11 }]);
    expect(attachments[0]!.url).toContain('/files/');
    const listed = await messagesOf(agent, view.id);
    expect(listed[1]!.attachments.map((a) => a.id)).toEqual([file.id]);
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const { app, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    const headers = { ...agent.headers, 'idempotency-key': 'reply-1' };
    const payload = { body: 'Only once', visibility: 'public' };
    const first = await app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/messages`, headers, payload });
    const second = await app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/messages`, headers, payload });
    expect(second.json()).toEqual(first.json());
    expect(await messagesOf(agent, view.id)).toHaveLength(2);
  });

  it('pages through the conversation oldest first with a cursor', async () => {
    const { app, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    for (let i = 1; i <= 4; i++) await postMessage(agent, view.id, { body: `reply ${i}`, visibility: i % 2 ? 'public' : 'internal' });
    const seen: MessageView[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/cases/${view.id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.inject({ method: 'GET', url, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ data: MessageView[]; next_cursor: string | null }>();
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((m) => m.body_text)).toEqual(['Please check invoice 42.', 'reply 1', 'reply 2', 'reply 3', 'reply 4']);
    for (const bad of ['%%%', 'WyJ4Il0', Buffer.from(JSON.stringify([1, 'not-a-uuid'])).toString('base64url')]) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${view.id}/messages?cursor=${bad}`, headers: agent.headers });
      expect(res.statusCode, bad).toBe(400);
    }
    const tooMany = await app.inject({ method: 'GET', url: `/api/v1/cases/${view.id}/messages?limit=101`, headers: agent.headers });
    expect(tooMany.statusCode).toBe(400);
  });

  it('batches authors: agent names and customer names on one page', async () => {
    const { agent, workspace, customerId } = await caseWorld();
    const colleague = await createAgent(workspace, { name: 'Colleague Name' });
    const view = await postCase(agent, { customer_id: customerId });
    await postMessage(colleague, view.id, { body: 'Hi from colleague', visibility: 'public' });
    const messages = await messagesOf(agent, view.id);
    expect(messages.map((m) => m.author?.name)).toEqual(['Casey Customer', 'Colleague Name']);
  });
});
