import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { agentSocket, type LiveServer } from '../realtime/test-support.js';
import { CLOSE } from '../realtime/socket-guard.js';
import { chatServer, chatWorld, identity, runChatJobs, SHOP, visitorSocket } from './test-support.js';
import { OFFLINE_AFTER_MS } from './jobs.js';

let server: LiveServer;
beforeAll(async () => {
  server = await chatServer();
});
afterAll(async () => {
  await server.stop();
});

describe('chat sites (admin API)', () => {
  it('creates a site with its snippet and a secret shown once; lists, changes, rotates and deletes it', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const { site } = world;
    expect(site.site_key).toMatch(/^cs_/);
    expect(site.secret).toMatch(/^chs_/);
    expect((site as unknown as { snippet: string }).snippet).toBe(
      `<script src="${server.ctx.config.publicUrl}/chat/widget.js" data-site="${site.site_key}" async></script>`,
    );
    const read = await app.inject({ method: 'GET', url: `/api/v1/chat/sites/${site.id}`, headers: world.admin.headers });
    expect(read.statusCode).toBe(200);
    expect(read.json()).not.toHaveProperty('secret');
    expect(JSON.stringify(read.json())).not.toContain(site.secret);
    const list = await app.inject({ method: 'GET', url: '/api/v1/chat/sites', headers: world.admin.headers });
    expect(list.json().items.map((s: { id: string }) => s.id)).toEqual([site.id]);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/chat/sites/${site.id}`,
      headers: world.admin.headers,
      payload: { colour: '#AA0000', allowed_origins: ['https://Shop.Acme.test/', 'https://shop.acme.test'] },
    });
    expect(patched.json()).toMatchObject({ colour: '#aa0000', allowed_origins: ['https://shop.acme.test'] });

    const rotated = await app.inject({ method: 'POST', url: `/api/v1/chat/sites/${site.id}/rotate-secret`, headers: world.admin.headers });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(site.secret);
    // During the grace period tokens signed with the previous secret still identify visitors.
    const old = await visitorSocket(server, site.site_key, { identity_token: identity(world, { sub: 'u1' }, site.secret) });
    expect(await old.waitFor((m) => m.type === 'welcome')).toMatchObject({ identified: true });
    await old.close();

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/chat/sites/${site.id}`, headers: world.admin.headers })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ method: 'GET', url: `/api/v1/chat/sites/${site.id}`, headers: world.admin.headers })).statusCode).toBe(404);
  });

  it('refuses bad input, non-admins, and objects of another workspace', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const bad = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/chat/sites', headers: world.admin.headers, payload });
    expect((await bad({ name: 'x', allowed_origins: ['https://shop.test/path'] })).json().error.code).toBe('chat_site.invalid_origin');
    expect((await bad({ name: 'x', allowed_origins: ['javascript:alert(1)'] })).json().error.code).toBe('chat_site.invalid_origin');
    expect((await bad({ name: 'x', team_id: '00000000-0000-4000-8000-000000000000' })).json().error.code).toBe('chat_site.unknown_team');
    expect((await bad({ name: 'x', colour: 'red' })).statusCode).toBe(400);
    expect((await bad({ name: 'x', secret: 'mine' })).statusCode).toBe(400);
    const dup = await bad({
      name: 'x',
      prechat_choices: [
        { id: 'a', label: 'A', category: 'billing' },
        { id: 'a', label: 'B', category: 'general' },
      ],
    });
    expect(dup.json().error.code).toBe('chat_site.duplicate_choice');
    const agent = world.agents[0]!;
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/chat/sites', headers: agent.headers, payload: { name: 'x' } })).statusCode,
    ).toBe(403);
    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    expect((await app.inject({ method: 'GET', url: `/api/v1/chat/sites/${world.site.id}`, headers: outsider.headers })).statusCode).toBe(
      404,
    );
    const cap = await app.inject({
      method: 'PUT',
      url: `/api/v1/chat/agents/${agent.id}/settings`,
      headers: world.admin.headers,
      payload: { chat_capacity: 2 },
    });
    expect(cap.json()).toEqual({ agent_id: agent.id, chat_capacity: 2 });
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: `/api/v1/chat/agents/${agent.id}/settings`,
          headers: outsider.headers,
          payload: { chat_capacity: 2 },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('widget socket: handshake', () => {
  it('refuses an unknown site (4404), a page not allowed to embed the widget (4403) and a first message other than hello (4400)', async () => {
    const world = await chatWorld();
    const unknown = await visitorSocket(server, 'cs_nope_nope_nope_nope_nope');
    expect((await unknown.closed).code).toBe(CLOSE.siteNotFound);
    const evil = await visitorSocket(server, world.site.site_key, {}, 'https://evil.example');
    expect((await evil.closed).code).toBe(CLOSE.originNotAllowed);
    const rude = await visitorSocket(server, world.site.site_key);
    rude.messages.length = 0;
    const sneaky = await (
      await import('../realtime/test-support.js')
    ).openSocket(`${server.wsBase}/api/v1/chat/widget/socket?site=${world.site.site_key}`, { origin: SHOP });
    sneaky.send({ type: 'start', text: 'hi' });
    expect((await sneaky.closed).code).toBe(CLOSE.protocolError);
    await rude.close();
  });

  it("accepts Baton's own origin (the widget frame) as well as the site's", async () => {
    const world = await chatWorld();
    const socket = await visitorSocket(server, world.site.site_key, {}, server.origin);
    expect(await socket.waitFor((m) => m.type === 'welcome')).toMatchObject({
      identified: false,
      site: { name: 'Acme shop', online: true },
    });
    await socket.close();
  });

  it('enforces identity tokens when the site asks: missing, expired, forged and other-site tokens are refused', async () => {
    const world = await chatWorld({ body: { require_identity: true } });
    const other = await chatWorld();
    const key = world.site.site_key;
    const missing = await visitorSocket(server, key);
    expect(await missing.closed).toEqual({ code: CLOSE.unauthenticated, reason: 'identity_required' });
    const expired = await visitorSocket(server, key, {
      identity_token: identity(world, { sub: 'u', exp: Math.floor(Date.now() / 1000) - 600 }),
    });
    expect(await expired.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'chat.identity_expired' });
    expect((await expired.closed).code).toBe(CLOSE.unauthenticated);
    const forged = await visitorSocket(server, key, { identity_token: identity(world, { sub: 'u' }, 'chs_guessed') });
    expect((await forged.closed).reason).toBe('forged');
    const otherSite = await visitorSocket(server, key, { identity_token: identity(other, { sub: 'u' }) });
    expect((await otherSite.closed).reason).toBe('forged');
    // Another site's token with this site's secret still names the other site.
    const { signIdentityToken } = await import('./identity-token.js');
    const crossed = signIdentityToken(world.site.secret, other.site.site_key, { sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 });
    const crossSocket = await visitorSocket(server, key, { identity_token: crossed });
    expect((await crossSocket.closed).reason).toBe('other_site');
    const good = await visitorSocket(server, key, {
      identity_token: identity(world, { sub: 'user-7', email: 'ann@shop.test', name: 'Ann' }),
    });
    expect(await good.waitFor((m) => m.type === 'welcome')).toMatchObject({ identified: true });
    await good.close();
  });
});

describe('a chat end to end (one process)', () => {
  it('opens a chat case routed by the pre-chat choice, assigns an online agent, and carries messages, typing and read receipts both ways', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const agent = world.agents[0]!;
    const desk = await agentSocket(server, agent.headers);
    await desk.request({ type: 'subscribe', topic: 'inbox' });
    await desk.request({ type: 'resume', last_event_id: null });

    const visitor = await visitorSocket(server, world.site.site_key);
    const welcome = await visitor.waitFor((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({
      conversation: null,
      site: {
        greeting: 'Hi! How can we help?',
        prechat_choices: [
          { id: 'billing', label: 'Billing' },
          { id: 'tech', label: 'Something technical' },
        ],
      },
    });
    const started = await visitor.request({ type: 'start', choice_id: 'billing', text: 'I was charged twice', name: 'Vera' });
    expect(started).toMatchObject({ type: 'started', conversation: { state: 'active', position: null } });

    const created = await desk.waitFor((m) => m.type === 'event' && m.event === 'case.created');
    const caseId = created.case_id as string;
    const kase = (await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: agent.headers })).json();
    expect(kase).toMatchObject({ channel: 'chat', category: 'billing', team_id: world.team.id, assignee: { id: agent.id } });
    await desk.request({ type: 'subscribe', topic: 'case', case_id: caseId });

    // Visitor typing reaches the agent; agent typing reaches the visitor.
    visitor.send({ type: 'typing' });
    await desk.waitFor((m) => m.type === 'typing' && m.case_id === caseId && m.from === 'customer');
    desk.send({ type: 'typing', case_id: caseId });
    await visitor.waitFor((m) => m.type === 'typing' && m.from === 'agent' && m.name === 'Agent 1');

    // The agent replies through the case API; an internal note never reaches the visitor.
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'Internal: check Stripe', visibility: 'internal' },
    });
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'Let me look into it', visibility: 'public' },
    });
    expect(reply.statusCode).toBe(201);
    const received = await visitor.waitFor((m) => m.type === 'message' && (m.message as { from: string }).from === 'agent');
    expect(received.message).toMatchObject({ text: 'Let me look into it', author_name: 'Agent 1' });
    expect(JSON.stringify(visitor.messages)).not.toContain('Internal: check Stripe');

    // Visitor writes; the agent sees the message event; read receipts both ways.
    const sent = await visitor.request({ type: 'message', text: 'Thanks! Order 1234' });
    expect(sent.type).toBe('sent');
    await desk.waitFor(
      (m) => m.type === 'event' && m.event === 'case.message_added' && (m.data as { message_id: string }).message_id === sent.message_id,
    );
    await visitor.request({ type: 'read', message_id: (received.message as { id: string }).id });
    await desk.waitFor((m) => m.type === 'event' && m.event === 'chat.read' && (m.data as { by: string }).by === 'customer');
    const read = await app.inject({
      method: 'POST',
      url: `/api/v1/chat/conversations/${caseId}/read`,
      headers: agent.headers,
      payload: { message_id: sent.message_id },
    });
    expect(read.statusCode).toBe(204);
    expect(await visitor.waitFor((m) => m.type === 'read')).toMatchObject({ by: 'agent', message_id: sent.message_id });

    const conversation = (await app.inject({ method: 'GET', url: `/api/v1/chat/conversations/${caseId}`, headers: agent.headers })).json();
    expect(conversation).toMatchObject({
      state: 'active',
      visitor_read_message_id: (received.message as { id: string }).id,
      agent_read_message_id: sent.message_id,
    });
    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    expect((await app.inject({ method: 'GET', url: `/api/v1/chat/conversations/${caseId}`, headers: outsider.headers })).statusCode).toBe(
      404,
    );
    await visitor.close();
    await desk.close();
  });

  it("a visitor's socket hears its own case only, and the case of a new conversation once it starts one", async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const agent = world.agents[0]!;
    const reply = (caseId: string, body: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/messages`,
        headers: agent.headers,
        payload: { body, visibility: 'public' },
      });
    const caseOf = async (started: Record<string, unknown>) => {
      const conversationId = (started.conversation as { id: string }).id;
      const row = await server.ctx.db
        .selectFrom('chat_conversations')
        .select('case_id')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      return row.case_id;
    };
    const heard = (socket: Awaited<ReturnType<typeof visitorSocket>>, text: string) =>
      socket.waitFor((m) => m.type === 'message' && (m.message as { text: string }).text === text);

    const vera = await visitorSocket(server, world.site.site_key);
    await vera.waitFor((m) => m.type === 'welcome');
    const veraCase = await caseOf(await vera.request({ type: 'start', choice_id: 'billing', text: 'Charged twice' }));
    const other = await visitorSocket(server, world.site.site_key);
    await other.waitFor((m) => m.type === 'welcome');
    const otherCase = await caseOf(await other.request({ type: 'start', choice_id: 'billing', text: 'Where is my refund?' }));

    expect((await reply(otherCase, 'For the other visitor')).statusCode).toBe(201);
    expect((await reply(veraCase, 'For Vera')).statusCode).toBe(201);
    await heard(vera, 'For Vera');
    await heard(other, 'For the other visitor');
    expect(JSON.stringify(vera.messages)).not.toContain('For the other visitor');
    expect(JSON.stringify(other.messages)).not.toContain('For Vera');

    // Vera leaves and starts again about something else (another case): its replies reach her socket.
    await vera.request({ type: 'leave' });
    const newCase = await caseOf(await vera.request({ type: 'start', choice_id: 'tech', text: 'And the app crashes' }));
    expect(newCase).not.toBe(veraCase);
    expect((await reply(newCase, 'About the crash')).statusCode).toBe(201);
    await heard(vera, 'About the crash');
    expect(JSON.stringify(other.messages)).not.toContain('About the crash');
    for (const socket of [vera, other]) await socket.close();
  });

  it('a returning visitor gets the history and resumes from the last event it received, without loss or duplicates', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const agent = world.agents[0]!;
    const first = await visitorSocket(server, world.site.site_key);
    const welcome = await first.waitFor((m) => m.type === 'welcome');
    await first.request({ type: 'start', text: 'Hello there' });
    const caseId = (
      await server.ctx.db.selectFrom('chat_conversations').select('case_id').where('site_id', '=', world.site.id).executeTakeFirstOrThrow()
    ).case_id;
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'One', visibility: 'public' },
    });
    const one = await first.waitFor((m) => m.type === 'message' && (m.message as { text: string }).text === 'One');
    await first.close();

    for (const body of ['Two', 'Three'])
      await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/messages`,
        headers: agent.headers,
        payload: { body, visibility: 'public' },
      });
    await server.relay.drain();

    const again = await visitorSocket(server, world.site.site_key, { visitor_token: welcome.visitor_token, last_event_id: one.event_id });
    const back = await again.waitFor((m) => m.type === 'welcome');
    expect((back.conversation as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual([
      'Hello there',
      'One',
      'Two',
      'Three',
    ]);
    await again.waitFor((m) => m.type === 'resumed');
    // Replayed, or live just after the resume when this process had not read it yet: once either way.
    await again.waitFor((m) => m.type === 'message' && (m.message as { text: string }).text === 'Three');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replayed = again.messages.filter((m) => m.type === 'message').map((m) => (m.message as { text: string }).text);
    expect(replayed).toEqual(['Two', 'Three']);
    // A forged visitor token starts a stranger with no history.
    const stranger = await visitorSocket(server, world.site.site_key, { visitor_token: `${welcome.visitor_token as string}x` });
    expect(await stranger.waitFor((m) => m.type === 'welcome')).toMatchObject({ conversation: null });
    await stranger.close();
    await again.close();
  });
});

describe('queue, capacity and hand-off to email', () => {
  it('queues chats with their position when agents are at chat capacity and assigns them as room frees up', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const agent = world.agents[0]!;
    await app.inject({
      method: 'PUT',
      url: `/api/v1/chat/agents/${agent.id}/settings`,
      headers: world.admin.headers,
      payload: { chat_capacity: 1 },
    });
    const visitors = [];
    for (let i = 0; i < 3; i++) {
      const socket = await visitorSocket(server, world.site.site_key);
      await socket.waitFor((m) => m.type === 'welcome');
      visitors.push(socket);
    }
    const [a, b, c] = visitors as [(typeof visitors)[0], (typeof visitors)[0], (typeof visitors)[0]];
    expect(await a.request({ type: 'start', text: 'first', choice_id: 'billing' })).toMatchObject({ conversation: { state: 'active' } });
    expect(await b.request({ type: 'start', text: 'second', choice_id: 'billing' })).toMatchObject({
      conversation: { state: 'queued', position: 1 },
    });
    expect(await c.request({ type: 'start', text: 'third', choice_id: 'tech' })).toMatchObject({
      conversation: { state: 'queued', position: 2 },
    });
    await b.waitFor((m) => m.type === 'queue' && m.position === 1);

    // The agent ends the first chat: the oldest waiting one is assigned, the next moves up.
    const firstCase = (
      await server.ctx.db
        .selectFrom('chat_conversations')
        .select('case_id')
        .where('site_id', '=', world.site.id)
        .where('state', '=', 'active')
        .executeTakeFirstOrThrow()
    ).case_id;
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/chat/conversations/${firstCase}/end`, headers: agent.headers })).json(),
    ).toMatchObject({ state: 'ended', email_followup: true });
    await a.waitFor((m) => m.type === 'state' && m.state === 'ended');
    await server.relay.drain();
    await runChatJobs(server);
    expect(await b.waitFor((m) => m.type === 'assigned')).toMatchObject({ agent: { name: 'Agent 1' } });
    await c.waitFor((m) => m.type === 'queue' && m.position === 1);
    for (const socket of visitors) await socket.close();
  });

  it('emails an unread agent reply after a while and every reply once the visitor left; sends a transcript on request', async () => {
    const app = await getTestApp();
    const world = await chatWorld({ mailbox: true });
    const agent = world.agents[0]!;
    const visitor = await visitorSocket(server, world.site.site_key);
    await visitor.waitFor((m) => m.type === 'welcome');
    await visitor.request({ type: 'start', text: 'Where is my refund?', email: 'vera@customer.test' });
    const caseId = (
      await server.ctx.db.selectFrom('chat_conversations').select('case_id').where('site_id', '=', world.site.id).executeTakeFirstOrThrow()
    ).case_id;
    const mails = () =>
      server.ctx.db
        .selectFrom('outbound_mail')
        .select(['kind', 'to_addresses', 'subject', 'body_text', 'reply_to'])
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .execute();

    // Read in the widget: no email.
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'Checking now', visibility: 'public' },
    });
    const seen = await visitor.waitFor((m) => m.type === 'message' && (m.message as { text: string }).text === 'Checking now');
    await visitor.request({ type: 'read', message_id: (seen.message as { id: string }).id });
    // Not read: emailed once the delay is over.
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'Refund sent today', visibility: 'public' },
    });
    await server.relay.drain();
    await runChatJobs(server);
    expect(await mails()).toEqual([]);
    await runChatJobs(server, new Date(Date.now() + OFFLINE_AFTER_MS + 5000));
    const afterDelay = await mails();
    expect(afterDelay.map((m) => [m.kind, m.to_addresses])).toEqual([['reply', ['vera@customer.test']]]);
    expect(afterDelay[0]!.body_text).toContain('Refund sent today');
    expect(afterDelay[0]!.reply_to).toMatch(/\+c[0-9a-f]{32}\./);

    // The visitor leaves: the next reply goes out right away.
    expect(await visitor.request({ type: 'leave' })).toMatchObject({ type: 'left', email_followup: true });
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/messages`,
      headers: agent.headers,
      payload: { body: 'Anything else?', visibility: 'public' },
    });
    await server.relay.drain();
    await runChatJobs(server);
    expect((await mails()).map((m) => m.body_text.split('\n')[0])).toEqual(['Refund sent today', 'Anything else?']);

    const transcript = await visitor.request({ type: 'transcript' });
    expect(transcript.type).toBe('transcript_sent');
    const sentTranscript = (await mails()).find((m) => m.kind === 'transcript')!;
    expect(sentTranscript.to_addresses).toEqual(['vera@customer.test']);
    expect(sentTranscript.body_text).toContain('Where is my refund?');
    expect(sentTranscript.body_text).toContain('Anything else?');
    await visitor.close();
  });

  it('throttles conversation starts per client address', async () => {
    const world = await chatWorld();
    const ip = '203.0.113.77';
    const codes = [];
    for (let i = 0; i < 6; i++) {
      const socket = await visitorSocket(server, world.site.site_key, {}, SHOP, ip);
      await socket.waitFor((m) => m.type === 'welcome');
      const reply = await socket.request({ type: 'start', text: `attempt ${i}` });
      codes.push(reply.type === 'started' ? 'started' : reply.code);
      await socket.close();
    }
    expect(codes).toEqual(['started', 'started', 'started', 'started', 'started', 'rate_limited']);
  });

  it('files: a visitor uploads and attaches only their own uploads', async () => {
    const world = await chatWorld();
    const visitor = await visitorSocket(server, world.site.site_key);
    const welcome = await visitor.waitFor((m) => m.type === 'welcome');
    await visitor.request({ type: 'start', text: 'Screenshot coming' });
    const boundary = 'XBOUNDARY';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;
    const upload = (token: string) =>
      fetch(`${server.httpBase}/api/v1/chat/widget/uploads?site=${world.site.site_key}`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-baton-visitor': token },
        body,
      });
    expect((await upload('forged')).status).toBe(401);
    const res = await upload(welcome.visitor_token as string);
    expect(res.status).toBe(201);
    const [file] = (await res.json()) as { id: string }[];
    const posted = await visitor.request({ type: 'message', text: 'Here', attachment_ids: [file!.id] });
    expect(posted.type).toBe('sent');
    // The visitor's socket shows the line with its file (the event says it has files).
    const echoed = await visitor.waitFor((m) => m.type === 'message' && (m.message as { id: string }).id === posted.message_id);
    expect((echoed.message as { attachments: { filename: string }[] }).attachments.map((a) => a.filename)).toHaveLength(1);
    // Another visitor cannot attach it.
    const other = await visitorSocket(server, world.site.site_key);
    await other.waitFor((m) => m.type === 'welcome');
    await other.request({ type: 'start', text: 'Me too' });
    expect(await other.request({ type: 'message', text: 'Steal', attachment_ids: [file!.id] })).toMatchObject({
      code: 'attachment.not_attachable',
    });
    await other.close();
    await visitor.close();
  });
});
