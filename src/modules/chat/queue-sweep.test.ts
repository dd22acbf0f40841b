import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import type { LiveServer } from '../realtime/test-support.js';
import { QUEUE_SWEEP_MS, scheduleChatQueueSweep } from './jobs.js';
import { chatServer, chatWorld, runChatJobs, visitorSocket } from './test-support.js';

let server: LiveServer;
beforeAll(async () => {
  server = await chatServer();
});
afterAll(async () => {
  await server.stop();
});

describe('the periodic queue sweep', () => {
  it('assigns a waiting chat once room is there even when no event asked for a drain, and stays quiet while nothing changes', async () => {
    const app = await getTestApp();
    const world = await chatWorld();
    const agent = world.agents[0]!;
    const capacity = (chat_capacity: number) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/chat/agents/${agent.id}/settings`,
        headers: world.admin.headers,
        payload: { chat_capacity },
      });
    expect((await capacity(1)).statusCode).toBe(200);
    const first = await visitorSocket(server, world.site.site_key);
    await first.waitFor((m) => m.type === 'welcome');
    expect(await first.request({ type: 'start', text: 'first', choice_id: 'billing' })).toMatchObject({
      conversation: { state: 'active' },
    });
    const second = await visitorSocket(server, world.site.site_key);
    await second.waitFor((m) => m.type === 'welcome');
    expect(await second.request({ type: 'start', text: 'second', choice_id: 'billing' })).toMatchObject({
      conversation: { state: 'queued', position: 1 },
    });

    // Nothing changed: a sweep assigns nothing and tells the waiting visitor nothing new.
    await second.waitFor((m) => m.type === 'queue' && m.position === 1).catch(() => undefined);
    const heard = second.messages.length;
    // The worker runs at the sweep's own slot, not later: a sweep run before its time (the clock
    // here is ahead of the real one) would schedule its successor into the slot it occupies, which
    // its singleton key refuses, and the chain would end (it did, within a second of a minute).
    const slot = new Date(Math.ceil(Date.now() / QUEUE_SWEEP_MS) * QUEUE_SWEEP_MS);
    await scheduleChatQueueSweep(server.ctx.db, slot);
    await runChatJobs(server, slot);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.messages.slice(heard).filter((m) => m.type === 'queue')).toEqual([]);

    // Room appears and the drain that should follow is lost (asked while another drain of the
    // workspace held the singleton key): the next sweep assigns the chat.
    await server.ctx.db.updateTable('chat_agent_settings').set({ chat_capacity: 2 }).where('agent_id', '=', agent.id).execute();
    await runChatJobs(server, new Date(Date.now() + 2 * QUEUE_SWEEP_MS + 1000));
    const latestState = () =>
      server.ctx.db
        .selectFrom('chat_conversations')
        .select(['state', 'assigned_at'])
        .where('site_id', '=', world.site.id)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
    expect(await latestState()).toMatchObject({ state: 'active', assigned_at: expect.any(Date) });
    await second.waitFor((m) => m.type === 'assigned');

    // Raising the capacity through the API drains at once, no sweep needed.
    const third = await visitorSocket(server, world.site.site_key);
    await third.waitFor((m) => m.type === 'welcome');
    expect(await third.request({ type: 'start', text: 'third', choice_id: 'billing' })).toMatchObject({
      conversation: { state: 'queued' },
    });
    expect((await capacity(3)).statusCode).toBe(200);
    await runChatJobs(server);
    expect(await latestState()).toMatchObject({ state: 'active' });
    for (const socket of [first, second, third]) await socket.close();
  });
});
