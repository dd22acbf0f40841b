import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveServer } from '../realtime/test-support.js';
import { chatServer, chatWorld, visitorSocket } from './test-support.js';
import { VisitorSightings } from './visitor-sightings.js';

let server: LiveServer;
beforeAll(async () => {
  server = await chatServer();
});
afterAll(async () => {
  await server.stop();
});

describe('visitor sightings (heartbeats)', () => {
  it("writes a round of visitors' sightings together, with their conversations", async () => {
    const world = await chatWorld();
    const sockets = [];
    for (const text of ['About my invoice', 'About my refund']) {
      const socket = await visitorSocket(server, world.site.site_key);
      await socket.waitFor((m) => m.type === 'welcome');
      expect((await socket.request({ type: 'start', text })).type).toBe('started');
      sockets.push(socket);
    }
    const db = server.ctx.db;
    const conversations = await db
      .selectFrom('chat_conversations')
      .select(['id', 'visitor_id'])
      .where('site_id', '=', world.site.id)
      .execute();
    expect(conversations).toHaveLength(2);
    const [first, second] = conversations;

    const sightings = new VisitorSightings(db);
    // One conversation-less sighting (a visitor between chats) and one with its conversation.
    const round = [sightings.report(world.ws.id, first!.visitor_id, null), sightings.report(world.ws.id, second!.visitor_id, second!.id)];
    await Promise.all(round);
    const visitors = await db
      .selectFrom('chat_visitors')
      .select(['id', 'last_seen_at'])
      .where('id', 'in', [first!.visitor_id, second!.visitor_id])
      .execute();
    const seen = new Set(visitors.map((v) => v.last_seen_at.getTime()));
    // One write for the round: one instant for both.
    expect(seen.size).toBe(1);
    const rows = await db
      .selectFrom('chat_conversations')
      .select(['id', 'visitor_seen_at'])
      .where('id', 'in', [first!.id, second!.id])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r.visitor_seen_at?.getTime()]));
    expect(byId.get(second!.id)).toBe([...seen][0]);
    expect(byId.get(first!.id)).not.toBe([...seen][0]);
    for (const socket of sockets) await socket.close();
  });
});
