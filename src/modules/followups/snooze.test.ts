import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import {
  caseNow,
  customerWrites,
  days,
  followupWorld,
  historyOf,
  MINUTE,
  openCase,
  outreachMail,
  relay,
  runTimers,
  setStatus,
  type FollowupWorld,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function snooze(world: FollowupWorld, caseId: string, until: Date | string, note?: string, who = world.agent) {
  return world.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/snooze`,
    headers: who.headers,
    payload: { until: typeof until === 'string' ? until : until.toISOString(), ...(note !== undefined ? { note } : {}) },
  });
}

async function followups(world: FollowupWorld, caseId: string, who = world.agent) {
  const res = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/followups`, headers: who.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ snooze: { until: string; note: string } | null }>();
}

describe('snoozing a case', () => {
  it('puts the case on hold until the time, then opens it, records both in the history and mails the assignee', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const until = new Date(Date.now() + days(2));
    const res = await snooze(world, kase.id, until, 'Call back after the bank holiday');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      case_id: kase.id,
      until: until.toISOString(),
      note: 'Call back after the bank holiday',
      snoozed_by: world.agent.id,
    });
    await relay(world.ctx);
    expect((await caseNow(world, kase.id)).status).toBe('on_hold');
    expect((await followups(world, kase.id)).snooze).toMatchObject({ until: until.toISOString() });
    const snoozed = await historyOf(world, kase.id, 'snoozed');
    expect(snoozed).toHaveLength(1);
    expect(snoozed[0]!.data).toMatchObject({ until: until.toISOString(), note: 'Call back after the bank holiday' });

    // Listed among the agent's snoozed cases (and the team's).
    const mine = await world.app.inject({ method: 'GET', url: '/api/v1/followups/snoozed', headers: world.agent.headers });
    expect(mine.json<{ data: { case: { id: string } }[] }>().data.map((d) => d.case.id)).toEqual([kase.id]);
    const team = await world.app.inject({ method: 'GET', url: '/api/v1/followups/snoozed?scope=team', headers: world.other.headers });
    expect(team.json<{ data: { case: { id: string } }[] }>().data.map((d) => d.case.id)).toEqual([kase.id]);
    const notMine = await world.app.inject({ method: 'GET', url: '/api/v1/followups/snoozed', headers: world.other.headers });
    expect(notMine.json<{ data: unknown[] }>().data).toEqual([]);

    // Not yet at the time: nothing happens.
    await runTimers(world, new Date(until.getTime() - MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('on_hold');

    await runTimers(world, new Date(until.getTime() + MINUTE));
    const after = await caseNow(world, kase.id);
    expect(after.status).toBe('open');
    expect((await historyOf(world, kase.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['until_reached']);
    expect((await followups(world, kase.id)).snooze).toBeNull();
    const mail = (await outreachMail(world, kase.id)).filter((m) => m.kind === 'notification');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ recipient_agent_id: world.agent.id, auto_submitted: 'auto-generated' });
    expect(mail[0]!.subject).toContain(`#${kase.number}`);
    expect(mail[0]!.body_text).toContain('Call back after the bank holiday');
  });

  it('cancelling opens the case at once; the planned wake-up then does nothing', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const until = new Date(Date.now() + days(1));
    expect((await snooze(world, kase.id, until)).statusCode).toBe(200);
    await relay(world.ctx);
    const res = await world.app.inject({ method: 'DELETE', url: `/api/v1/cases/${kase.id}/snooze`, headers: world.agent.headers });
    expect(res.statusCode, res.body).toBe(204);
    await relay(world.ctx);
    expect((await caseNow(world, kase.id)).status).toBe('open');
    expect((await historyOf(world, kase.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['cancelled']);
    await runTimers(world, new Date(until.getTime() + MINUTE));
    expect((await historyOf(world, kase.id, 'snooze_ended')).length).toBe(1);
    expect((await outreachMail(world, kase.id)).filter((m) => m.kind === 'notification')).toEqual([]);
    // Not snoozed any more: a second cancel is refused.
    const again = await world.app.inject({ method: 'DELETE', url: `/api/v1/cases/${kase.id}/snooze`, headers: world.agent.headers });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('followup.not_snoozed');
  });

  it('a customer message ends the snooze early and the case comes back open', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const until = new Date(Date.now() + days(3));
    expect((await snooze(world, kase.id, until)).statusCode).toBe(200);
    await relay(world.ctx);
    await customerWrites(world, kase.id);
    expect((await caseNow(world, kase.id)).status).toBe('open');
    expect((await historyOf(world, kase.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['customer_message']);
    await runTimers(world, new Date(until.getTime() + MINUTE));
    expect((await historyOf(world, kase.id, 'snooze_ended')).length).toBe(1);
  });

  it("in a relay batch of several customers' messages, ends the snooze of the snoozed case only", async () => {
    const world = await followupWorld();
    const [snoozed, other, third] = [await openCase(world), await openCase(world), await openCase(world)];
    expect((await snooze(world, snoozed.id, new Date(Date.now() + days(3)))).statusCode).toBe(200);
    await relay(world.ctx);
    const { addMessage } = await import('../cases/service.js');
    // Written before the relay runs: one batch, where one statement answers for all three.
    for (const kase of [other, snoozed, third])
      await addMessage(world.db, world.workspace.system, kase.id, { bodyText: 'Hello?', visibility: 'public', authorType: 'customer' });
    await relay(world.ctx);
    expect((await caseNow(world, snoozed.id)).status).toBe('open');
    expect((await historyOf(world, snoozed.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['customer_message']);
    for (const kase of [other, third]) expect(await historyOf(world, kase.id, 'snooze_ended')).toEqual([]);
  });

  it('a manual status change away from on hold ends the snooze; snoozing again replaces the earlier one', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const first = new Date(Date.now() + days(1));
    expect((await snooze(world, kase.id, first)).statusCode).toBe(200);
    await relay(world.ctx);
    await setStatus(world, world.agent, kase.id, 'pending');
    expect((await historyOf(world, kase.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['status_changed']);
    expect((await followups(world, kase.id)).snooze).toBeNull();

    const second = new Date(Date.now() + days(2));
    expect((await snooze(world, kase.id, first)).statusCode).toBe(200);
    expect((await snooze(world, kase.id, second, 'later')).statusCode).toBe(200);
    await relay(world.ctx);
    // The first snooze's wake-up is stale; the second wakes the case.
    await runTimers(world, new Date(first.getTime() + MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('on_hold');
    await runTimers(world, new Date(second.getTime() + MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('open');
    expect((await historyOf(world, kase.id, 'snooze_ended')).map((e) => e.data.reason)).toEqual(['status_changed', 'until_reached']);
  });

  it('refuses past times, times over a year ahead, solved cases, bad bodies and other workspaces', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    const codeOf = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;
    const past = await snooze(world, kase.id, new Date(Date.now() - MINUTE));
    expect(past.statusCode).toBe(400);
    expect(codeOf(past)).toBe('followup.date_in_past');
    const far = await snooze(world, kase.id, new Date(Date.now() + days(366)));
    expect(far.statusCode).toBe(400);
    expect(codeOf(far)).toBe('followup.date_too_far');
    expect((await snooze(world, kase.id, 'tomorrow')).statusCode).toBe(400);
    const extra = await world.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${kase.id}/snooze`,
      headers: world.agent.headers,
      payload: { until: new Date(Date.now() + days(1)).toISOString(), wake: true },
    });
    expect(extra.statusCode).toBe(400);
    expect((await snooze(world, kase.id, new Date(Date.now() + days(1)), 'x'.repeat(1001))).statusCode).toBe(400);

    await setStatus(world, world.agent, kase.id, 'solved');
    const solved = await snooze(world, kase.id, new Date(Date.now() + days(1)));
    expect(solved.statusCode).toBe(422);
    expect(codeOf(solved)).toBe('case.illegal_transition');

    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    const other = await snooze(world, kase.id, new Date(Date.now() + days(1)), undefined, outsider);
    expect(other.statusCode).toBe(404);
    const get = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/followups`, headers: outsider.headers });
    expect(get.statusCode).toBe(404);
    const del = await world.app.inject({ method: 'DELETE', url: `/api/v1/cases/${kase.id}/snooze`, headers: outsider.headers });
    expect(del.statusCode).toBe(404);
    expect(await historyOf(world, kase.id, 'snoozed')).toEqual([]);
  });
});
