import { beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import {
  caseNow,
  customerWrites,
  days,
  followupWorld,
  historyOf,
  jobsOf,
  MINUTE,
  openCase,
  outreachMail,
  publicSystemMessages,
  putSettings,
  runTimers,
  setStatus,
  type FollowupWorld,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

/** The instant the case entered its current status (the status_changed history entry). */
async function statusChangedAt(world: FollowupWorld, caseId: string, to: string): Promise<number> {
  const entries = (await historyOf(world, caseId, 'status_changed')).filter((e) => e.data.to === to);
  return new Date(entries.at(-1)!.created_at).getTime();
}

async function postPolicy(world: FollowupWorld, body: Record<string, unknown> = {}) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/v1/sla-policies',
    headers: world.admin.headers,
    payload: { name: unique('Policy'), time_basis: 'calendar', targets: { first_reply_minutes: 600 }, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
}

describe('pending reminder and auto-solve', () => {
  it('reminds a silent customer after N days by email, then solves the case M days later, saying why', async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: 3, pending_solve_after_days: 4, checkin_after_days: null });
    const kase = await openCase(world);
    await setStatus(world, world.agent, kase.id, 'pending');
    const t0 = await statusChangedAt(world, kase.id, 'pending');
    const plan = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/followups`, headers: world.agent.headers });
    expect(plan.json()).toMatchObject({
      pending_reminder: { cycle: 1, reminder_due_at: new Date(t0 + days(3)).toISOString(), reminder_sent_at: null, solve_due_at: null },
      settings: { pending_reminder_after_days: 3, pending_solve_after_days: 4 },
    });

    await runTimers(world, new Date(t0 + days(3) - MINUTE));
    expect(await publicSystemMessages(world, kase.id)).toEqual([]);
    await runTimers(world, new Date(t0 + days(3) + MINUTE));
    const messages = await publicSystemMessages(world, kase.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body_text).toContain('Hello Casey,');
    expect(messages[0]!.body_text).toContain(`#${kase.number}`);
    expect(messages[0]!.channel).toBe('email');
    const mail = (await outreachMail(world, kase.id)).filter((m) => m.kind === 'outreach');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_addresses: [expect.stringContaining(world.email)], auto_submitted: 'auto-generated' });
    expect(mail[0]!.subject).toContain(`[#${kase.number}]`);
    expect((await historyOf(world, kase.id, 'pending_reminder_sent'))[0]!.data).toMatchObject({
      sent: true,
      channel: 'email',
      solve_due_at: new Date(t0 + days(7)).toISOString(),
    });
    expect((await caseNow(world, kase.id)).status).toBe('pending');

    await runTimers(world, new Date(t0 + days(7) + MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('solved');
    expect((await historyOf(world, kase.id, 'auto_solved'))[0]!.data).toMatchObject({ reason: 'no_customer_reply', cycle: 1 });
    // Once: later runs change nothing more.
    await runTimers(world, new Date(t0 + days(30)));
    expect(await publicSystemMessages(world, kase.id)).toHaveLength(1);
    expect(await historyOf(world, kase.id, 'auto_solved')).toHaveLength(1);
  });

  it('a customer reply cancels the cycle; a new pending cycle plans afresh', async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: 2, pending_solve_after_days: 2, checkin_after_days: null });
    const kase = await openCase(world);
    await setStatus(world, world.agent, kase.id, 'pending');
    const t0 = await statusChangedAt(world, kase.id, 'pending');
    await customerWrites(world, kase.id);
    expect((await caseNow(world, kase.id)).status).toBe('open');
    await runTimers(world, new Date(t0 + days(2) + MINUTE));
    expect(await publicSystemMessages(world, kase.id)).toEqual([]);
    expect(await historyOf(world, kase.id, 'pending_reminder_sent')).toEqual([]);

    // After the reminder, a reply stops the solve.
    await setStatus(world, world.agent, kase.id, 'pending');
    const t1 = await statusChangedAt(world, kase.id, 'pending');
    await runTimers(world, new Date(t1 + days(2) + MINUTE));
    expect(await publicSystemMessages(world, kase.id)).toHaveLength(1);
    await customerWrites(world, kase.id, 'Sorry, here it is.');
    await runTimers(world, new Date(t1 + days(4) + MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('open');
    expect(await historyOf(world, kase.id, 'auto_solved')).toEqual([]);
    expect(await jobsOf(world, kase.id)).toEqual({ done: 3 });
  });

  it("an SLA policy's settings override the workspace default for its cases; removing them falls back", async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: 10, pending_solve_after_days: null, checkin_after_days: null });
    const policy = await postPolicy(world);
    await putSettings(world, `policies/${policy.id}`, {
      pending_reminder_after_days: 1,
      pending_solve_after_days: null,
      checkin_after_days: null,
      reminder_body: 'Still there, {{customer.name}}? About #{{case.number}}.',
    });
    const kase = await openCase(world);
    await setStatus(world, world.agent, kase.id, 'pending');
    const t0 = await statusChangedAt(world, kase.id, 'pending');
    await runTimers(world, new Date(t0 + days(1) + MINUTE));
    const messages = await publicSystemMessages(world, kase.id);
    expect(messages.map((m) => m.body_text)).toEqual([`Still there, Casey Customer? About #${kase.number}.`]);
    expect((await historyOf(world, kase.id, 'pending_reminder_sent'))[0]!.data).toMatchObject({ policy_id: policy.id, solve_due_at: null });

    const del = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/followup-settings/policies/${policy.id}`,
      headers: world.admin.headers,
    });
    expect(del.statusCode).toBe(204);
    const second = await openCase(world);
    await setStatus(world, world.agent, second.id, 'pending');
    const t1 = await statusChangedAt(world, second.id, 'pending');
    await runTimers(world, new Date(t1 + days(1) + MINUTE));
    expect(await publicSystemMessages(world, second.id)).toEqual([]);
    await runTimers(world, new Date(t1 + days(10) + MINUTE));
    expect((await publicSystemMessages(world, second.id))[0]!.body_text).toContain('we are still waiting');
  });

  it('writes in the customer’s language, on a chat case as a chat message; with nothing configured nothing is planned', async () => {
    const world = await followupWorld();
    const quiet = await openCase(world);
    await setStatus(world, world.agent, quiet.id, 'pending');
    expect(await jobsOf(world, quiet.id)).toEqual({});

    await putSettings(world, 'default', { pending_reminder_after_days: 1, pending_solve_after_days: null, checkin_after_days: null });
    await world.db.updateTable('customers').set({ language: 'de' }).where('id', '=', world.customerId).execute();
    const chat = await openCase(world, { channel: 'chat' });
    await setStatus(world, world.agent, chat.id, 'pending');
    const t0 = await statusChangedAt(world, chat.id, 'pending');
    await runTimers(world, new Date(t0 + days(1) + MINUTE));
    const messages = await publicSystemMessages(world, chat.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.channel).toBe('chat');
    expect(messages[0]!.body_text).toContain('Guten Tag Casey,');
    expect((await outreachMail(world, chat.id)).filter((m) => m.kind === 'outreach')).toEqual([]);
  });

  it('a phone case gets an internal note instead, and is not solved without the customer having been reminded', async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: 1, pending_solve_after_days: 1, checkin_after_days: null });
    const kase = await openCase(world, { channel: 'phone' });
    await setStatus(world, world.agent, kase.id, 'pending');
    const t0 = await statusChangedAt(world, kase.id, 'pending');
    await runTimers(world, new Date(t0 + days(1) + MINUTE));
    expect(await publicSystemMessages(world, kase.id)).toEqual([]);
    const notes = await world.db
      .selectFrom('messages')
      .select('body_text')
      .where('case_id', '=', kase.id)
      .where('visibility', '=', 'internal')
      .execute();
    expect(notes.map((n) => n.body_text).join('\n')).toContain('phone');
    expect((await historyOf(world, kase.id, 'pending_reminder_sent'))[0]!.data).toMatchObject({ sent: false, solve_due_at: null });
    await runTimers(world, new Date(t0 + days(5)));
    expect((await caseNow(world, kase.id)).status).toBe('pending');
  });
});

describe('check-in after solving', () => {
  it('sends one check-in K days after the case was solved, once per solve cycle, and none after reopening', async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: null, pending_solve_after_days: null, checkin_after_days: 5 });
    const kase = await openCase(world);
    await setStatus(world, world.agent, kase.id, 'solved');
    const t0 = await statusChangedAt(world, kase.id, 'solved');
    // Reopened before the check-in: none for that cycle.
    await setStatus(world, world.agent, kase.id, 'open');
    await runTimers(world, new Date(t0 + days(5) + MINUTE));
    expect(await historyOf(world, kase.id, 'checkin_sent')).toEqual([]);

    await setStatus(world, world.agent, kase.id, 'solved');
    const t1 = await statusChangedAt(world, kase.id, 'solved');
    await runTimers(world, new Date(t1 + days(5) + MINUTE));
    const sent = await historyOf(world, kase.id, 'checkin_sent');
    expect(sent.map((e) => e.data)).toEqual([expect.objectContaining({ cycle: 2, sent: true, channel: 'email' })]);
    const messages = await publicSystemMessages(world, kase.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body_text).toContain('Is everything working');
    expect((await caseNow(world, kase.id)).status).toBe('solved');
    await runTimers(world, new Date(t1 + days(20)));
    expect(await historyOf(world, kase.id, 'checkin_sent')).toHaveLength(1);

    // The customer answers the check-in: the case reopens; solved again, a new cycle checks in again.
    await customerWrites(world, kase.id, 'Actually, one more thing.');
    expect((await caseNow(world, kase.id)).status).toBe('open');
    await setStatus(world, world.agent, kase.id, 'solved');
    const t2 = await statusChangedAt(world, kase.id, 'solved');
    await runTimers(world, new Date(t2 + days(5) + MINUTE));
    expect((await historyOf(world, kase.id, 'checkin_sent')).map((e) => e.data.cycle)).toEqual([2, 3]);
  });

  it('an auto-solved case gets its check-in too; a closed case gets the mail alone', async () => {
    const world = await followupWorld();
    await putSettings(world, 'default', { pending_reminder_after_days: 1, pending_solve_after_days: 1, checkin_after_days: 2 });
    const kase = await openCase(world);
    await setStatus(world, world.agent, kase.id, 'pending');
    const t0 = await statusChangedAt(world, kase.id, 'pending');
    await runTimers(world, new Date(t0 + days(1) + MINUTE));
    await runTimers(world, new Date(t0 + days(2) + MINUTE));
    expect((await caseNow(world, kase.id)).status).toBe('solved');
    await setStatus(world, world.agent, kase.id, 'closed');
    await runTimers(world, new Date(t0 + days(4) + 2 * MINUTE));
    expect((await historyOf(world, kase.id, 'checkin_sent')).map((e) => e.data)).toEqual([
      expect.objectContaining({ sent: true, channel: 'email' }),
    ]);
    expect(await publicSystemMessages(world, kase.id)).toHaveLength(1);
    const outreach = (await outreachMail(world, kase.id)).filter((m) => m.kind === 'outreach');
    expect(outreach).toHaveLength(2);
    expect(outreach[1]!.message_id).toBeNull();
    expect(outreach[1]!.body_text).toContain('Is everything working');
  });
});
