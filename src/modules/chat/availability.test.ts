import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import type { LiveServer } from '../realtime/test-support.js';
import { findActiveSiteByKey } from './site-store.js';
import { chatServer, chatWorld, visitorSocket, type ChatWorld } from './test-support.js';
import { widgetConfig } from './widget-config.js';

let server: LiveServer;
beforeAll(async () => {
  server = await chatServer();
});
afterAll(async () => {
  await server.stop();
});

const WEEKDAYS = {
  mon: [{ start: '09:00', end: '17:00' }],
  tue: [{ start: '09:00', end: '17:00' }],
  wed: [{ start: '09:00', end: '17:00' }],
};

async function giveTeamHours(world: ChatWorld, body: Record<string, unknown>): Promise<void> {
  const app = await getTestApp();
  const created = await app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: world.admin.headers, payload: body });
  expect(created.statusCode).toBe(201);
  const set = await app.inject({
    method: 'PUT',
    url: `/api/v1/teams/${world.team.id}/business-hours`,
    headers: world.admin.headers,
    payload: { schedule_id: created.json().id },
  });
  expect(set.statusCode).toBe(200);
}

async function configAt(world: ChatWorld, now: Date) {
  const ctx = await getTestContext();
  const site = await findActiveSiteByKey(ctx.db, world.site.site_key);
  return widgetConfig(ctx, site!, now);
}

describe('widget availability: business hours and expected wait', () => {
  it('is online without business hours when an agent with room is online, and says nothing about a wait it cannot know', async () => {
    const world = await chatWorld();
    const res = await (await getTestApp()).inject({ method: 'GET', url: `/api/v1/chat/widget/config?site=${world.site.site_key}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ online: true, open: true, next_open_at: null, expected_wait_seconds: null });
  });

  it("is offline outside the team's business hours even with agents online, and says when the team is back (holidays and time zone included)", async () => {
    const world = await chatWorld();
    // Berlin office hours Monday to Wednesday; Monday 7 January 2030 is a holiday.
    await giveTeamHours(world, { name: 'Berlin office', time_zone: 'Europe/Berlin', weekly: WEEKDAYS, holidays: [{ date: '2030-01-07' }] });

    const holidayNoon = await configAt(world, new Date('2030-01-07T11:00:00Z'));
    expect(holidayNoon).toMatchObject({ online: false, open: false, next_open_at: '2030-01-08T08:00:00.000Z' });
    const tuesdayMorning = await configAt(world, new Date('2030-01-08T08:30:00Z'));
    expect(tuesdayMorning).toMatchObject({ online: true, open: true, next_open_at: null });
    // Wednesday 17:00 Berlin is 16:00 UTC: closed until Monday 09:00 Berlin.
    const wednesdayEvening = await configAt(world, new Date('2030-01-09T16:00:00Z'));
    expect(wednesdayEvening).toMatchObject({ online: false, open: false, next_open_at: '2030-01-14T08:00:00.000Z' });
  });

  it('is open but offline inside business hours when nobody is online', async () => {
    const world = await chatWorld();
    const app = await getTestApp();
    await giveTeamHours(world, {
      name: 'Always',
      time_zone: 'UTC',
      weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
    });
    const away = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/presence',
      headers: world.agents[0]!.headers,
      payload: { presence: 'away' },
    });
    expect(away.statusCode).toBe(200);
    expect(await configAt(world, new Date())).toMatchObject({ online: false, open: true, next_open_at: null });
  });

  it("reports the median wait of the site's chats of the last week once there are enough of them", async () => {
    const world = await chatWorld({ agents: 1 });
    const ctx = await getTestContext();
    for (let i = 0; i < 3; i++) {
      const visitor = await visitorSocket(server, world.site.site_key);
      await visitor.waitFor((m) => m.type === 'welcome');
      expect(await visitor.request({ type: 'start', choice_id: 'billing', text: `Question ${i}` })).toMatchObject({ type: 'started' });
      await visitor.close();
    }
    const site = await findActiveSiteByKey(ctx.db, world.site.site_key);
    const conversations = await ctx.db
      .selectFrom('chat_conversations')
      .select(['id', 'assigned_at'])
      .where('site_id', '=', site!.id)
      .execute();
    expect(conversations.length).toBe(3);
    // Waits of 1, 3 and 10 minutes: the median is 3 minutes; the one assigned 8 days ago does not count.
    const waits = [60, 180, 600];
    for (const [i, conversation] of conversations.entries()) {
      const assignedAt = new Date(Date.now() - 60_000 * (i + 1));
      await ctx.db
        .updateTable('chat_conversations')
        .set({ assigned_at: assignedAt, created_at: new Date(assignedAt.getTime() - waits[i]! * 1000) })
        .where('id', '=', conversation.id)
        .execute();
    }
    expect((await configAt(world, new Date())).expected_wait_seconds).toBe(180);
    await ctx.db
      .updateTable('chat_conversations')
      .set({ assigned_at: new Date(Date.now() - 8 * 86_400_000) })
      .where('id', '=', conversations[0]!.id)
      .execute();
    // Two recent chats are too few to promise anything.
    expect((await configAt(world, new Date())).expected_wait_seconds).toBeNull();
  });
});
