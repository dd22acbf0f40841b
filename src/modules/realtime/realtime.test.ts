import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { addMessage, createCase } from '../cases/service.js';
import { createCustomer } from '../customers/service.js';
import { agentSocket, liveServer, openSocket, type LiveServer } from './test-support.js';
import { CLOSE, MAX_MESSAGE_BYTES } from './socket-guard.js';

let server: LiveServer;

beforeAll(async () => {
  server = await liveServer({ agentRate: { burst: 8, perSecond: 1 }, maxRefusedInARow: 5 });
});
afterAll(async () => {
  await server.stop();
});

async function caseOf(ws: TestWorkspace, agent: TestAgent, subject = 'Refund please') {
  const customer = await createCustomer(server.ctx.db, ws.system, { name: 'Casey' });
  return createCase(server.ctx.db, agent.actor, {
    customerId: customer.id,
    subject,
    channel: 'web',
    assigneeId: null,
    message: { bodyText: 'Hello' },
  });
}

/**
 * The realtime event ids of a case once published. relay.drain() returns early when a relay pass
 * that was already running holds the rows (SKIP LOCKED), so wait for that pass to commit.
 */
async function publishedEventIds(caseId: string): Promise<number[]> {
  const read = async () =>
    (await server.ctx.db.selectFrom('realtime_events').select('id').where('case_id', '=', caseId).orderBy('id').execute()).map((r) =>
      Number(r.id),
    );
  await expect.poll(async () => (await read()).length).toBeGreaterThan(0);
  return read();
}

describe('agent socket: handshake', () => {
  it('refuses a page of another origin with 4403 before anything is sent', async () => {
    const agent = await createAgent(await createWorkspace());
    const socket = await openSocket(`${server.wsBase}/api/v1/realtime`, { ...agent.headers, origin: 'https://evil.example' });
    expect(await socket.closed).toEqual({ code: CLOSE.originNotAllowed, reason: 'origin not allowed' });
    expect(socket.messages).toEqual([]);
  });

  it('refuses a missing or invalid session with 4401, and a bad bearer token with HTTP 401', async () => {
    const anonymous = await openSocket(`${server.wsBase}/api/v1/realtime`, { origin: server.origin });
    expect((await anonymous.closed).code).toBe(CLOSE.unauthenticated);
    const stale = await openSocket(`${server.wsBase}/api/v1/realtime`, {
      origin: server.origin,
      cookie: 'baton_session=not-a-real-session-token-at-all',
    });
    expect((await stale.closed).code).toBe(CLOSE.unauthenticated);
    await expect(openSocket(`${server.wsBase}/api/v1/realtime`, { authorization: 'Bearer btn_forged' })).rejects.toThrow('HTTP 401');
  });

  it('accepts a session cookie from the app origin and a bearer token without Origin', async () => {
    const agent = await createAgent(await createWorkspace());
    const bySession = await agentSocket(server, agent.headers);
    expect(bySession.messages[0]).toMatchObject({ type: 'welcome', agent_id: agent.id, limits: { max_message_bytes: MAX_MESSAGE_BYTES } });
    const byToken = await openSocket(`${server.wsBase}/api/v1/realtime`, agent.tokenHeaders);
    expect(await byToken.waitFor((m) => m.type === 'welcome')).toMatchObject({ agent_id: agent.id });
    await bySession.close();
    await byToken.close();
  });
});

describe('agent socket: limits', () => {
  it('closes with 1009 on a message above the size cap', async () => {
    const agent = await createAgent(await createWorkspace());
    const socket = await agentSocket(server, agent.headers);
    socket.send({ type: 'ping', padding: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect((await socket.closed).code).toBe(CLOSE.tooBig);
  });

  it('closes with 4400 on a message that is not a JSON object with a type', async () => {
    const agent = await createAgent(await createWorkspace());
    const socket = await agentSocket(server, agent.headers);
    socket.send('not json');
    expect((await socket.closed).code).toBe(CLOSE.protocolError);
  });

  it('answers rate_limited past the burst and closes with 4429 when the client keeps going', async () => {
    const agent = await createAgent(await createWorkspace());
    const socket = await agentSocket(server, agent.headers);
    for (let i = 0; i < 10; i++) socket.send({ type: 'ping', ref: `p${i}` });
    await socket.waitFor((m) => m.type === 'error' && m.code === 'realtime.rate_limited');
    expect(socket.messages.filter((m) => m.type === 'pong').length).toBe(8);
    for (let i = 0; i < 10; i++) socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(CLOSE.rateLimited);
  });

  it('drops a connection that stops answering pings, and the agent goes offline', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws, { presence: 'offline' });
    const socket = await agentSocket(server, agent.headers, { autoPong: false });
    const presence = () =>
      server.ctx.db
        .selectFrom('agents')
        .select('presence')
        .where('id', '=', agent.id)
        .executeTakeFirstOrThrow()
        .then((r) => r.presence);
    expect(await presence()).toBe('online');
    const closed = await socket.closed;
    expect(closed.code).toBe(1006);
    await expect.poll(presence, { timeout: 5000 }).toBe('offline');
  });
});

describe('agent socket: subscriptions and authorization', () => {
  it("refuses another workspace's case as not found and delivers only its own workspace's events", async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const other = await createWorkspace();
    const outsider = await createAgent(other, { role: 'admin' });
    const kase = await caseOf(ws, agent);
    const socket = await agentSocket(server, outsider.headers);
    const refused = await socket.request({ type: 'subscribe', topic: 'case', case_id: kase.id });
    expect(refused).toMatchObject({ type: 'error', code: 'case.not_found' });
    expect(await socket.request({ type: 'subscribe', topic: 'inbox' })).toMatchObject({ type: 'subscribed', topic: 'inbox' });
    expect(await socket.request({ type: 'resume', last_event_id: null })).toMatchObject({ type: 'resumed' });

    const mine = await agentSocket(server, agent.headers);
    expect(await mine.request({ type: 'subscribe', topic: 'case', case_id: kase.id })).toMatchObject({
      type: 'subscribed',
      case_id: kase.id,
    });
    await mine.request({ type: 'resume', last_event_id: null });
    const message = await addMessage(server.ctx.db, agent.actor, kase.id, { bodyText: 'We are on it', visibility: 'internal' });
    // Under load the relay may publish the case's first message after the resume: wait for this one.
    const event = await mine.waitFor(
      (m) => m.type === 'event' && m.event === 'case.message_added' && (m.data as { message_id?: string }).message_id === message.id,
    );
    expect(event).toMatchObject({ case_id: kase.id, data: { message_id: message.id, visibility: 'internal' } });
    // The outsider's inbox saw nothing of that workspace, even after a case of its own was created.
    const own = await caseOf(other, outsider);
    await socket.waitFor((m) => m.type === 'event' && m.case_id === own.id);
    expect(socket.events().filter((m) => m.case_id === kase.id)).toEqual([]);
    await socket.close();
    await mine.close();
  });

  it('closes with 4401 when the session ends (agent signed out everywhere)', async () => {
    const agent = await createAgent(await createWorkspace());
    const socket = await agentSocket(server, agent.headers);
    await server.ctx.db.deleteFrom('agent_sessions').where('agent_id', '=', agent.id).execute();
    expect((await socket.closed).code).toBe(CLOSE.unauthenticated);
  });
});

describe('agent socket: resume after a reconnect', () => {
  it('replays what was missed exactly once and in order, then continues live', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const first = await agentSocket(server, agent.headers);
    await first.request({ type: 'subscribe', topic: 'inbox' });
    await first.request({ type: 'resume', last_event_id: null });
    const a = await caseOf(ws, agent, 'A');
    const seen = await first.waitFor((m) => m.type === 'event' && m.case_id === a.id && m.event === 'case.message_added');
    const lastId = seen.id as number;
    await first.close();

    // While disconnected: two more cases (and another workspace's case, never replayed here).
    const b = await caseOf(ws, agent, 'B');
    const c = await caseOf(ws, agent, 'C');
    const elsewhere = await createWorkspace();
    await caseOf(elsewhere, await createAgent(elsewhere), 'Elsewhere');
    await server.relay.drain();

    const second = await agentSocket(server, agent.headers);
    await second.request({ type: 'subscribe', topic: 'inbox' });
    const resumed = await second.request({ type: 'resume', last_event_id: lastId });
    expect(resumed).toMatchObject({ type: 'resumed', from: lastId });
    const replayed = second.events().filter((e) => String(e.event).startsWith('case.'));
    expect(replayed.map((e) => e.case_id)).toEqual([b.id, b.id, c.id, c.id]);
    expect(replayed.map((e) => e.event)).toEqual(['case.created', 'case.message_added', 'case.created', 'case.message_added']);
    const ids = replayed.map((e) => e.id as number);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(ids.every((id) => id > lastId)).toBe(true);

    // Live again: the next event arrives once.
    await addMessage(server.ctx.db, agent.actor, c.id, { bodyText: 'Live', visibility: 'public' });
    await second.waitFor((m) => m.type === 'event' && m.event === 'case.message_added' && (m.id as number) > Math.max(...ids));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = second.events().map((e) => e.id);
    expect(new Set(all).size).toBe(all.length);
    await second.close();
  });

  it('events committed while a resume replays are neither lost nor doubled', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const before = await caseOf(ws, agent, 'before');
    await server.relay.drain();
    const socket = await agentSocket(server, agent.headers);
    await socket.request({ type: 'subscribe', topic: 'inbox' });
    const start = (await publishedEventIds(before.id))[0]!;
    // Resume from before the first case while new cases keep coming.
    socket.send({ type: 'resume', last_event_id: start - 1 });
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await caseOf(ws, agent, `during ${i}`));
    await server.relay.drain();
    for (const kase of during) await socket.waitFor((m) => m.type === 'event' && m.case_id === kase.id && m.event === 'case.message_added');
    const ids = socket.events().map((e) => e.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const cases = new Set(socket.events().map((e) => e.case_id));
    expect(cases).toEqual(new Set([before.id, ...during.map((k) => k.id)]));
    await socket.close();
  });

  it('asks for a resync when the client is further behind than the log keeps (pruned)', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws);
    const old = await caseOf(ws, agent, 'old');
    await server.relay.drain();
    const oldIds = (await publishedEventIds(old.id)).map((id) => ({ id }));
    await caseOf(ws, agent, 'new');
    await server.relay.drain();
    // The ring dropped the old case's events (as the hourly prune does after the retention window).
    await server.ctx.db.deleteFrom('realtime_events').where('id', '<=', oldIds.at(-1)!.id).execute();
    const socket = await agentSocket(server, agent.headers);
    await socket.request({ type: 'subscribe', topic: 'inbox' });
    const reply = await socket.request({ type: 'resume', last_event_id: oldIds[0]!.id - 1 });
    expect(reply).toMatchObject({ type: 'resync_required' });
    expect(socket.events()).toEqual([]);
    await socket.close();
  });
});

describe('presence and collision', () => {
  it('follows the connections: online on connect, away when every connection is away, offline when none is left', async () => {
    const ws = await createWorkspace();
    const agent = await createAgent(ws, { presence: 'offline' });
    const presence = () =>
      server.ctx.db
        .selectFrom('agents')
        .select('presence')
        .where('id', '=', agent.id)
        .executeTakeFirstOrThrow()
        .then((r) => r.presence);
    const watcher = await agentSocket(server, (await createAgent(ws)).headers);
    await watcher.request({ type: 'subscribe', topic: 'inbox' });
    await watcher.request({ type: 'resume', last_event_id: null });
    const one = await agentSocket(server, agent.headers);
    const two = await agentSocket(server, agent.headers);
    expect(await presence()).toBe('online');
    await one.request({ type: 'presence', status: 'away' });
    expect(await presence()).toBe('online');
    await two.request({ type: 'presence', status: 'away' });
    expect(await presence()).toBe('away');
    await one.close();
    await two.close();
    await expect.poll(presence, { timeout: 5000 }).toBe('offline');
    // The inbox saw the changes as events.
    await watcher.waitFor(
      (m) => m.type === 'event' && m.event === 'agent.presence_changed' && (m.data as { presence?: string }).presence === 'offline',
    );
    await watcher.close();
  });

  it('shows who else views a case and who is typing; typing is throttled and never stored', async () => {
    const ws = await createWorkspace();
    const alice = await createAgent(ws, { name: 'Alice' });
    const bob = await createAgent(ws, { name: 'Bob' });
    const kase = await caseOf(ws, alice);
    const a = await agentSocket(server, alice.headers);
    const b = await agentSocket(server, bob.headers);
    await a.request({ type: 'subscribe', topic: 'case', case_id: kase.id });
    const sub = await b.request({ type: 'subscribe', topic: 'case', case_id: kase.id });
    expect(sub.type).toBe('subscribed');
    await a.waitFor((m) => m.type === 'viewers' && (m.viewers as unknown[]).length === 2);
    const typingFrom = a.messages.length;
    b.send({ type: 'typing', case_id: kase.id });
    b.send({ type: 'typing', case_id: kase.id });
    const typing = await a.waitFor(
      (m) => m.type === 'viewers' && (m.viewers as { typing: boolean }[]).some((v) => v.typing),
      3000,
      typingFrom,
    );
    expect(typing.viewers).toContainEqual({ agent_id: bob.id, name: 'Bob', typing: true });
    // Typing on a case one has not opened is refused.
    const other = await caseOf(ws, alice);
    expect(await b.request({ type: 'typing', case_id: other.id })).toMatchObject({ code: 'realtime.not_subscribed' });
    await b.close();
    await a.waitFor((m) => m.type === 'viewers' && (m.viewers as unknown[]).length === 1);
    const stored = await server.ctx.db.selectFrom('realtime_events').select('type').where('case_id', '=', kase.id).execute();
    expect(stored.map((r) => r.type).filter((t) => t.includes('typing'))).toEqual([]);
    await a.close();
  });
});
