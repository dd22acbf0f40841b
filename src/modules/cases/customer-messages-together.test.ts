import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import type { CustomerActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { addCustomerMessagesTogether, getCustomerLine, type CustomerMessageOutcome } from './service.js';
import {
  caseWorld,
  eventTypes,
  getCaseView,
  messagesOf,
  newCustomer,
  patchCase,
  postCase,
  postMessage,
  type AddMessageResponse,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const visitor = (workspaceId: string, customerId: string, caseId: string): CustomerActor => ({
  kind: 'customer',
  workspaceId,
  customerId,
  caseId,
});

const errorCode = (outcome: CustomerMessageOutcome | undefined) =>
  outcome && 'error' in outcome && outcome.error instanceof AppError ? outcome.error.code : undefined;

async function setStatus(agent: Parameters<typeof patchCase>[0], caseId: string, ...statuses: string[]) {
  for (const status of statuses) {
    const { version } = await getCaseView(agent, caseId);
    const res = await patchCase(agent, caseId, { status, version });
    expect(res.statusCode, res.body).toBe(200);
  }
}

describe('customer messages written together', () => {
  it('writes each line as addMessage would: clocks, reopened status, history and events by each customer; refuses lines alone', async () => {
    const { db, workspace, agent, customerId } = await caseWorld();
    const other = await newCustomer(workspace, 'Olive Other');
    const open = await postCase(agent, { customer_id: customerId, channel: 'chat' });
    await setStatus(agent, open.id, 'open');
    const pending = await postCase(agent, { customer_id: other });
    await setStatus(agent, pending.id, 'pending');
    const closed = await postCase(agent, { customer_id: customerId });
    await setStatus(agent, closed.id, 'solved', 'closed');
    const before = await db.selectFrom('cases').select(['id', 'version']).where('id', 'in', [open.id, pending.id]).execute();
    const versionOf = new Map(before.map((r) => [r.id, r.version]));

    const mine = visitor(workspace.id, customerId, open.id);
    const outcomes = await addCustomerMessagesTogether(db, [
      { actor: mine, caseId: open.id, bodyText: 'First line', channel: 'chat' },
      { actor: visitor(workspace.id, other, pending.id), caseId: pending.id, bodyText: 'Any news?', channel: 'chat' },
      { actor: mine, caseId: open.id, bodyText: 'Second line', channel: 'chat' },
      { actor: visitor(workspace.id, customerId, closed.id), caseId: closed.id, bodyText: 'Hello?', channel: 'chat' },
      // Not this customer's case, and an empty line: refused on their own.
      { actor: visitor(workspace.id, customerId, pending.id), caseId: pending.id, bodyText: 'Not mine', channel: 'chat' },
      { actor: mine, caseId: open.id, bodyText: '   ', channel: 'chat' },
    ]);

    expect(outcomes.map((o) => ('messageId' in o ? 'ok' : errorCode(o)))).toEqual([
      'ok',
      'ok',
      'ok',
      'case.closed',
      'case.not_found',
      'case.message_empty',
    ]);
    const openMessages = await messagesOf(agent, open.id);
    expect(openMessages.slice(-2).map((m) => [m.id, m.body_text, m.author_type, m.channel, m.author?.id])).toEqual([
      [(outcomes[0] as { messageId: string }).messageId, 'First line', 'customer', 'chat', customerId],
      [(outcomes[2] as { messageId: string }).messageId, 'Second line', 'customer', 'chat', customerId],
    ]);
    // One transaction wrote the first round (both cases' first lines): one clock reading.
    const pendingLine = (await messagesOf(agent, pending.id)).find((m) => m.body_text === 'Any news?')!;
    expect(pendingLine.created_at).toBe(openMessages.at(-2)!.created_at);
    expect(openMessages.at(-1)!.created_at > pendingLine.created_at).toBe(true);
    expect((await messagesOf(agent, closed.id)).map((m) => m.body_text)).not.toContain('Hello?');
    expect((await messagesOf(agent, pending.id)).map((m) => m.body_text)).not.toContain('Not mine');

    const after = await db
      .selectFrom('cases')
      .select(['id', 'status', 'version', 'last_customer_message_at', 'last_message_at'])
      .where('id', 'in', [open.id, pending.id])
      .execute();
    const row = new Map(after.map((r) => [r.id, r]));
    expect(row.get(open.id)).toMatchObject({ status: 'open', version: versionOf.get(open.id)! + 2 });
    expect(row.get(pending.id)).toMatchObject({ status: 'open', version: versionOf.get(pending.id)! + 1 });
    expect(row.get(pending.id)!.last_customer_message_at).toEqual(row.get(pending.id)!.last_message_at);

    expect((await eventTypes(open.id)).slice(-2)).toEqual(['message_added', 'message_added']);
    expect((await eventTypes(pending.id)).slice(-2)).toEqual(['message_added', 'status_changed']);
    const domain = await db
      .selectFrom('domain_events')
      .select(['aggregate_id', 'type', 'actor_type', 'actor_id', 'payload'])
      .where('aggregate_id', 'in', [open.id, pending.id])
      .where('actor_type', '=', 'customer')
      .orderBy('id')
      .execute();
    expect(domain.map((e) => [e.aggregate_id, e.type, e.actor_id])).toEqual([
      [open.id, 'case.message_added', customerId],
      [pending.id, 'case.message_added', other],
      [pending.id, 'case.status_changed', other],
      [open.id, 'case.message_added', customerId],
    ]);
    expect(domain[2]!.payload).toEqual({ from: 'pending', to: 'open', reason: 'message' });
    expect(domain[0]!.payload).toEqual({
      message_id: (outcomes[0] as { messageId: string }).messageId,
      visibility: 'public',
      author_type: 'customer',
      channel: 'chat',
      has_files: false,
    });
  });

  it('retries every line alone when a shared statement fails, so only the bad line fails', async () => {
    const { db, workspace, agent, customerId } = await caseWorld();
    const other = await newCustomer(workspace, 'Olive Other');
    const first = await postCase(agent, { customer_id: customerId });
    const second = await postCase(agent, { customer_id: other });
    const outcomes = await addCustomerMessagesTogether(db, [
      { actor: visitor(workspace.id, customerId, first.id), caseId: first.id, bodyText: 'Fine line', channel: 'chat' },
      {
        actor: visitor(workspace.id, other, second.id),
        caseId: second.id,
        bodyText: 'With a file that is not there',
        channel: 'chat',
        attachmentIds: [crypto.randomUUID()],
      },
    ]);
    expect('messageId' in outcomes[0]!).toBe(true);
    expect(errorCode(outcomes[1])).toBe('attachment.not_attachable');
    expect((await messagesOf(agent, first.id)).map((m) => m.body_text)).toContain('Fine line');
    expect((await messagesOf(agent, second.id)).map((m) => m.body_text)).not.toContain('With a file that is not there');
    expect(await eventTypes(second.id)).toEqual(['created', 'message_added']);
  });
});

describe('a line as the chat widget shows it', () => {
  it("reads a public message of the customer's own case with the agent's name and files; nothing else", async () => {
    const { db, workspace, agent, customerId } = await caseWorld();
    const other = await newCustomer(workspace, 'Olive Other');
    const kase = await postCase(agent, { customer_id: customerId, channel: 'chat' });
    const foreign = await postCase(agent, { customer_id: other, channel: 'chat' });
    const reply = (await postMessage(agent, kase.id, { body: 'Hello, I am looking', visibility: 'public' })).json<AddMessageResponse>();
    const note = (await postMessage(agent, kase.id, { body: 'Internal only', visibility: 'internal' })).json<AddMessageResponse>();
    const theirs = (await postMessage(agent, foreign.id, { body: 'For Olive', visibility: 'public' })).json<AddMessageResponse>();
    const me = visitor(workspace.id, customerId, kase.id);

    const line = await getCustomerLine(db, me, reply.message.id, { hasFiles: false });
    expect(line).toEqual({
      id: reply.message.id,
      author_type: 'agent',
      agent_name: reply.message.author!.name,
      body_text: 'Hello, I am looking',
      attachments: [],
      created_at: reply.message.created_at,
    });
    // The same without the event's hint (files read): the same line.
    expect(await getCustomerLine(db, me, reply.message.id)).toEqual(line);
    for (const hidden of [note.message.id, theirs.message.id, crypto.randomUUID(), 'not-an-id']) {
      await expect(getCustomerLine(db, me, hidden)).rejects.toMatchObject({ code: 'message.not_found' });
    }
  });
});
