import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { days, followupWorld, MINUTE, openCase, outreachMail, runTimers, type FollowupWorld } from './test-support.js';
import type { TestAgent } from '../../test/factories.js';

beforeAll(async () => {
  await getTestApp();
});

interface Reminder {
  id: string;
  case_id: string;
  agent_id: string;
  status: string;
  note: string;
  remind_at: string;
  case: { number: number } | null;
}

async function remind(
  world: FollowupWorld,
  who: TestAgent,
  caseId: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return world.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/reminders`, headers: { ...who.headers, ...headers }, payload });
}

async function listOf(world: FollowupWorld, who: TestAgent, status: string): Promise<Reminder[]> {
  const res = await world.app.inject({ method: 'GET', url: `/api/v1/reminders?status=${status}`, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Reminder[] }>().data;
}

describe("agents' reminders", () => {
  it('becomes due at its time, mails the agent and publishes a live event; done and delete', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const at = new Date(Date.now() + days(1));
    const res = await remind(
      world,
      world.agent,
      kase.id,
      { remind_at: at.toISOString(), note: 'Check the refund landed' },
      { 'idempotency-key': 'r-1' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const reminder = res.json<Reminder>();
    expect(reminder).toMatchObject({
      case_id: kase.id,
      agent_id: world.agent.id,
      status: 'upcoming',
      note: 'Check the refund landed',
      case: { number: kase.number },
    });
    // The same Idempotency-Key answers the first result.
    const replay = await remind(
      world,
      world.agent,
      kase.id,
      { remind_at: at.toISOString(), note: 'Check the refund landed' },
      { 'idempotency-key': 'r-1' },
    );
    expect(replay.json<Reminder>().id).toBe(reminder.id);
    expect((await listOf(world, world.agent, 'upcoming')).map((r) => r.id)).toEqual([reminder.id]);
    expect(await listOf(world, world.other, 'upcoming')).toEqual([]);

    await runTimers(world, new Date(at.getTime() + MINUTE));
    expect((await listOf(world, world.agent, 'due')).map((r) => r.id)).toEqual([reminder.id]);
    const mail = (await outreachMail(world, kase.id)).filter((m) => m.kind === 'notification');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ recipient_agent_id: world.agent.id });
    expect(mail[0]!.body_text).toContain('Check the refund landed');
    const live = await world.db
      .selectFrom('realtime_events')
      .select(['type', 'data'])
      .where('case_id', '=', kase.id)
      .where('type', '=', 'case.reminder_due')
      .execute();
    expect(live.map((e) => e.data)).toEqual([expect.objectContaining({ reminder_id: reminder.id, agent_id: world.agent.id })]);

    const followups = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/followups`, headers: world.agent.headers });
    expect(followups.json<{ reminders: Reminder[] }>().reminders.map((r) => [r.id, r.status])).toEqual([[reminder.id, 'due']]);

    // Another agent can neither complete nor delete it.
    expect(
      (await world.app.inject({ method: 'POST', url: `/api/v1/reminders/${reminder.id}/done`, headers: world.other.headers })).statusCode,
    ).toBe(404);
    expect(
      (await world.app.inject({ method: 'DELETE', url: `/api/v1/reminders/${reminder.id}`, headers: world.other.headers })).statusCode,
    ).toBe(404);
    const done = await world.app.inject({ method: 'POST', url: `/api/v1/reminders/${reminder.id}/done`, headers: world.agent.headers });
    expect(done.statusCode).toBe(200);
    expect(done.json<Reminder>().status).toBe('done');
    expect((await listOf(world, world.agent, 'done')).map((r) => r.id)).toEqual([reminder.id]);
    expect(await listOf(world, world.agent, 'due')).toEqual([]);
    const del = await world.app.inject({ method: 'DELETE', url: `/api/v1/reminders/${reminder.id}`, headers: world.agent.headers });
    expect(del.statusCode).toBe(204);
    expect(await listOf(world, world.agent, 'done')).toEqual([]);
  });

  it('a deleted reminder never fires; supervisors may set one for another agent, agents may not', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const at = new Date(Date.now() + days(2));
    const mine = (await remind(world, world.agent, kase.id, { remind_at: at.toISOString(), note: 'x' })).json<Reminder>();
    expect(
      (await world.app.inject({ method: 'DELETE', url: `/api/v1/reminders/${mine.id}`, headers: world.agent.headers })).statusCode,
    ).toBe(204);

    const forbidden = await remind(world, world.agent, kase.id, { remind_at: at.toISOString(), note: 'x', agent_id: world.other.id });
    expect(forbidden.statusCode).toBe(403);
    const bySupervisor = await remind(world, world.supervisor, kase.id, {
      remind_at: at.toISOString(),
      note: 'Please chase',
      agent_id: world.other.id,
    });
    expect(bySupervisor.statusCode, bySupervisor.body).toBe(201);
    const unknownAgent = await remind(world, world.supervisor, kase.id, {
      remind_at: at.toISOString(),
      agent_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownAgent.statusCode).toBe(400);

    await runTimers(world, new Date(at.getTime() + MINUTE));
    expect((await listOf(world, world.other, 'due')).map((r) => r.note)).toEqual(['Please chase']);
    expect(await listOf(world, world.agent, 'due')).toEqual([]);
    const mail = (await outreachMail(world, kase.id)).filter((m) => m.kind === 'notification');
    expect(mail.map((m) => m.recipient_agent_id)).toEqual([world.other.id]);
  });

  it('refuses past or far dates, bad input and cases or reminders of another workspace', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const past = await remind(world, world.agent, kase.id, { remind_at: new Date(Date.now() - MINUTE).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ error: { code: string } }>().error.code).toBe('followup.date_in_past');
    expect((await remind(world, world.agent, kase.id, { remind_at: new Date(Date.now() + days(400)).toISOString() })).statusCode).toBe(400);
    expect((await remind(world, world.agent, kase.id, { note: 'no time' })).statusCode).toBe(400);
    expect((await remind(world, world.agent, kase.id, { remind_at: 'soon' })).statusCode).toBe(400);
    expect((await world.app.inject({ method: 'GET', url: '/api/v1/reminders?status=late', headers: world.agent.headers })).statusCode).toBe(
      400,
    );
    expect(
      (await world.app.inject({ method: 'GET', url: '/api/v1/reminders?cursor=bm9wZQ', headers: world.agent.headers })).statusCode,
    ).toBe(400);

    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    expect((await remind(world, outsider, kase.id, { remind_at: new Date(Date.now() + days(1)).toISOString() })).statusCode).toBe(404);
    const mine = (await remind(world, world.agent, kase.id, { remind_at: new Date(Date.now() + days(1)).toISOString() })).json<Reminder>();
    expect(
      (await world.app.inject({ method: 'POST', url: `/api/v1/reminders/${mine.id}/done`, headers: outsider.headers })).statusCode,
    ).toBe(404);
    expect(await listOf(world, outsider, 'upcoming')).toEqual([]);
  });

  it('pages through many reminders with the cursor', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(
        (await remind(world, world.agent, kase.id, { remind_at: new Date(Date.now() + days(i)).toISOString() })).json<Reminder>().id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/reminders?status=upcoming&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await world.app.inject({ method: 'GET', url, headers: world.agent.headers })).json<{
        data: Reminder[];
        next_cursor: string | null;
      }>();
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});
