import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { closeOfNthBusinessDayAfter } from './business-days.js';
import { UK_BUSINESS_DAYS } from './presets.js';
import { MINUTE, openCase, postPolicy, postSchedule, slaWorld, targetOf, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const DAY = 1440 * MINUTE;

type PresetBody = {
  preset: { key: string; enabled: boolean; policy_id: string | null; schedule_id: string | null };
  policy: {
    id: string;
    position: number;
    enabled: boolean;
    preset: string | null;
    conditions: Record<string, string[]>;
    targets: Record<string, number | null>;
    time_basis: string;
    pause_statuses: string[];
    warning_minutes: number;
    escalations: { warning: unknown[]; breach: unknown[] };
    version: number;
  };
};

async function enable(world: SlaWorld, key: string, payload: Record<string, unknown> = {}, headers = world.admin.headers) {
  return world.app.inject({ method: 'POST', url: `/api/v1/sla-presets/${key}/enable`, headers, payload });
}

async function casePreset(world: SlaWorld, caseId: string) {
  const res = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/sla/preset`, headers: world.agent.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    preset: null | {
      key: string;
      name: string;
      received_at: string;
      business_day_window: null | { last_day: string; ends_at: string; time_zone: string; open: boolean; letter: string };
      letters: { key: string; subject: string; body: string }[];
    };
  }>();
}

describe('regulatory SLA presets', () => {
  it('lists the presets with their targets, switched off, to agents', async () => {
    const world = await slaWorld();
    const res = await world.app.inject({ method: 'GET', url: '/api/v1/sla-presets', headers: world.agent.headers });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<{ data: { key: string; enabled: boolean; policy_id: null; targets: Record<string, number | null> }[] }>().data;
    expect(data.map((p) => p.key)).toEqual(['reg_z_billing_error', 'fca_complaint']);
    expect(data[0]).toMatchObject({
      enabled: false,
      policy_id: null,
      jurisdiction: 'US',
      targets: { first_reply_minutes: 43_200, next_reply_minutes: null, resolution_minutes: 129_600 },
    });
    expect(data[1]).toMatchObject({ enabled: false, targets: { resolution_minutes: 80_640 }, business_day_rule: { business_days: 3 } });

    const one = await world.app.inject({ method: 'GET', url: '/api/v1/sla-presets/fca_complaint', headers: world.agent.headers });
    expect(one.statusCode).toBe(200);
    const letters = one.json<{ letters: { key: string; body: string }[] }>().letters;
    expect(letters.map((l) => l.key)).toEqual(['acknowledgement', 'summary_resolution', 'final_response']);
    const final = letters.find((l) => l.key === 'final_response')!.body;
    expect(final).toContain('Financial Ombudsman Service');
    expect(final).toContain('six months');
    expect(final).toContain('{{customer.name}}');
  });

  it('enables Reg Z: a first policy with 30/90 calendar days, no pause, warning and breach escalations; twice is the same policy', async () => {
    const world = await slaWorld();
    const general = await postPolicy(world, { targets: { first_reply_minutes: 60, resolution_minutes: 600 } });
    const res = await enable(world, 'reg_z_billing_error');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<PresetBody>();
    expect(body.preset).toMatchObject({ key: 'reg_z_billing_error', enabled: true, policy_id: body.policy.id, schedule_id: null });
    expect(body.policy).toMatchObject({
      enabled: true,
      preset: 'reg_z_billing_error',
      conditions: { category: ['billing'], case_tags: ['billing_error'] },
      targets: { first_reply_minutes: 43_200, next_reply_minutes: null, resolution_minutes: 129_600 },
      time_basis: 'calendar',
      pause_statuses: [],
      warning_minutes: 7_200,
      escalations: {
        warning: [
          { type: 'notify', assignee: true },
          { type: 'raise_priority', to: 'high' },
        ],
        breach: [
          { type: 'notify', roles: ['supervisor', 'admin'], assignee: true },
          { type: 'raise_priority', to: 'urgent' },
        ],
      },
    });
    expect(body.policy.position).toBeLessThan(general.position);

    const again = await enable(world, 'reg_z_billing_error');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<PresetBody>().policy).toMatchObject({ id: body.policy.id, version: body.policy.version });

    const list = await world.app.inject({ method: 'GET', url: '/api/v1/sla-policies', headers: world.agent.headers });
    const ids = list.json<{ data: { id: string }[] }>().data.map((p) => p.id);
    expect(ids).toEqual([body.policy.id, general.id]);

    const presets = await world.app.inject({ method: 'GET', url: '/api/v1/sla-presets', headers: world.agent.headers });
    expect(presets.json<{ data: { key: string; enabled: boolean; policy_id: string | null }[] }>().data[0]).toMatchObject({
      enabled: true,
      policy_id: body.policy.id,
    });
  });

  it('gives a billing_error case 30-day and 90-day calendar targets that do not pause; other billing cases keep the general policy', async () => {
    const world = await slaWorld();
    const general = await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    const preset = (await enable(world, 'reg_z_billing_error')).json<PresetBody>().policy;
    const kase = await openCase(world, { tags: ['billing_error'] });
    const created = new Date(kase.created_at).getTime();
    const clock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ policy_id: preset.id, schedule_source: 'calendar' });
    expect(clock.policy).toMatchObject({ preset: 'reg_z_billing_error', pause_statuses: [] });
    const first = await targetOf(world, kase.id, 'first_reply');
    const resolution = await targetOf(world, kase.id, 'resolution');
    expect(first!.due_at!.getTime()).toBe(created + 30 * DAY);
    expect(first!.warn_at!.getTime()).toBe(created + 25 * DAY);
    expect(resolution!.due_at!.getTime()).toBe(created + 90 * DAY);
    expect(resolution!.warn_at!.getTime()).toBe(created + 85 * DAY);

    const sla = await world.app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/sla`, headers: world.agent.headers });
    expect(sla.json()).toMatchObject({ policy: { id: preset.id, preset: 'reg_z_billing_error' }, time_basis: 'calendar' });
    const letters = await casePreset(world, kase.id);
    expect(letters.preset).toMatchObject({ key: 'reg_z_billing_error', business_day_window: null });
    expect(letters.preset!.letters.map((l) => l.key)).toEqual(['acknowledgement', 'resolution']);
    expect(letters.preset!.letters[0]!.subject).toBe(`We received your billing error notice (case ${kase.number})`);
    expect(letters.preset!.letters[0]!.body).toContain('Dear Pat Plain,');

    const plain = await openCase(world);
    const plainClock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', plain.id).executeTakeFirstOrThrow();
    expect(plainClock.policy_id).toBe(general.id);
    expect((await casePreset(world, plain.id)).preset).toBeNull();
  });

  it('adds the letters as shared macros when first switched on; a taken name is skipped, switching on again adds none', async () => {
    const world = await slaWorld();
    const own = await world.app.inject({
      method: 'POST',
      url: '/api/v1/macros',
      headers: world.admin.headers,
      payload: { name: 'FCA: Final response', body: 'Our own wording', shared: true },
    });
    expect(own.statusCode, own.body).toBe(201);
    const res = await enable(world, 'fca_complaint');
    expect(res.statusCode, res.body).toBe(201);
    const macros = res.json<{ macros: { letter: string; macro_id: string; name: string }[] }>().macros;
    expect(macros.map((m) => m.letter)).toEqual(['acknowledgement', 'summary_resolution']);
    expect(macros.map((m) => m.name)).toEqual(['FCA: Prompt written acknowledgement', 'FCA: Summary resolution communication']);
    const macro = await world.app.inject({ method: 'GET', url: `/api/v1/macros/${macros[0]!.macro_id}`, headers: world.agent.headers });
    expect(macro.statusCode, macro.body).toBe(200);
    expect(macro.json<{ body: string }>().body).toMatch(/^We have received your complaint \(reference \{\{case\.number\}\}\)\n\n/);
    const kept = await world.app.inject({
      method: 'GET',
      url: `/api/v1/macros/${own.json<{ id: string }>().id}`,
      headers: world.agent.headers,
    });
    expect(kept.json<{ body: string }>().body).toBe('Our own wording');

    await world.app.inject({ method: 'POST', url: '/api/v1/sla-presets/fca_complaint/disable', headers: world.admin.headers });
    const again = await enable(world, 'fca_complaint');
    expect(again.statusCode).toBe(200);
    expect(again.json<{ macros: unknown[] }>().macros).toEqual([]);
  });

  it('enables with a configurable tag, disables (kept, no longer applied) and enables again', async () => {
    const world = await slaWorld();
    const created = await enable(world, 'reg_z_billing_error', { tag: ' Billing-Dispute ' });
    expect(created.statusCode, created.body).toBe(201);
    const policy = created.json<PresetBody>().policy;
    expect(policy.conditions.case_tags).toEqual(['billing-dispute']);

    const off = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-presets/reg_z_billing_error/disable',
      headers: world.admin.headers,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, policy_id: policy.id });
    const stored = await world.app.inject({ method: 'GET', url: `/api/v1/sla-policies/${policy.id}`, headers: world.agent.headers });
    expect(stored.json()).toMatchObject({ enabled: false, preset: 'reg_z_billing_error' });
    const kase = await openCase(world, { tags: ['billing-dispute'] });
    const clock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(clock.policy_id).toBeNull();

    const offAgain = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-presets/reg_z_billing_error/disable',
      headers: world.admin.headers,
    });
    expect(offAgain.statusCode).toBe(200);

    const on = await enable(world, 'reg_z_billing_error', { tag: 'billing_error' });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json<PresetBody>().policy).toMatchObject({ id: policy.id, enabled: true, conditions: { case_tags: ['billing_error'] } });
  });

  it('is admin only; unknown keys are 404; bad bodies are 400', async () => {
    const world = await slaWorld();
    const asAgent = await enable(world, 'reg_z_billing_error', {}, world.agent.headers);
    expect(asAgent.statusCode).toBe(403);
    const asSupervisor = await enable(world, 'fca_complaint', {}, world.supervisor.headers);
    expect(asSupervisor.statusCode).toBe(403);
    const disableAsAgent = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-presets/reg_z_billing_error/disable',
      headers: world.agent.headers,
    });
    expect(disableAsAgent.statusCode).toBe(403);
    for (const url of ['/api/v1/sla-presets/nope', '/api/v1/sla-presets/nope/enable', '/api/v1/sla-presets/nope/disable']) {
      const res = await world.app.inject({ method: url.endsWith('nope') ? 'GET' : 'POST', url, headers: world.admin.headers, payload: {} });
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('sla_preset.not_found');
    }
    const extra = await enable(world, 'fca_complaint', { priority: 'high' });
    expect(extra.statusCode).toBe(400);
    const blankTag = await enable(world, 'fca_complaint', { tag: '   ' });
    expect(blankTag.statusCode).toBe(400);
    expect(blankTag.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    const hours = await postSchedule(world, { time_zone: 'America/New_York' });
    const scheduleOnRegZ = await enable(world, 'reg_z_billing_error', { schedule_id: hours.id });
    expect(scheduleOnRegZ.statusCode).toBe(400);
    expect(scheduleOnRegZ.json<{ error: { code: string } }>().error.code).toBe('sla.preset_takes_no_schedule');
    const unknownHours = await enable(world, 'fca_complaint', { schedule_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknownHours.statusCode).toBe(422);
    expect(unknownHours.json<{ error: { code: string } }>().error.code).toBe('sla.unknown_business_hours');
    const none = await world.app.inject({ method: 'GET', url: '/api/v1/sla-presets', headers: world.agent.headers });
    expect(none.json<{ data: { enabled: boolean }[] }>().data.every((p) => !p.enabled)).toBe(true);
  });

  it('enables FCA with UK business days (created once) and an 8-week calendar resolution target', async () => {
    const world = await slaWorld();
    const res = await enable(world, 'fca_complaint');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<PresetBody>();
    expect(body.policy).toMatchObject({
      conditions: { category: ['billing', 'general'], case_tags: ['complaint'] },
      targets: { first_reply_minutes: null, resolution_minutes: 80_640 },
      time_basis: 'calendar',
      pause_statuses: [],
    });
    const schedule = await world.app.inject({
      method: 'GET',
      url: `/api/v1/business-hours/${body.preset.schedule_id}`,
      headers: world.agent.headers,
    });
    expect(schedule.statusCode).toBe(200);
    expect(schedule.json()).toMatchObject({ name: 'UK business days (FCA complaints)', time_zone: 'Europe/London', is_default: false });

    await world.app.inject({ method: 'POST', url: '/api/v1/sla-presets/fca_complaint/disable', headers: world.admin.headers });
    const again = await enable(world, 'fca_complaint');
    expect(again.statusCode).toBe(200);
    expect(again.json<PresetBody>().preset.schedule_id).toBe(body.preset.schedule_id);
    const count = await world.db
      .selectFrom('sla_schedules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', world.workspace.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const kase = await openCase(world, { category: 'general', tags: ['complaint'] });
    const resolution = await targetOf(world, kase.id, 'resolution');
    expect(resolution!.due_at!.getTime()).toBe(new Date(kase.created_at).getTime() + 56 * DAY);
    expect(await targetOf(world, kase.id, 'first_reply')).toBeUndefined();
    const window = (await casePreset(world, kase.id)).preset!.business_day_window!;
    expect(window).toMatchObject({ open: true, time_zone: 'Europe/London', letter: 'summary_resolution' });
    // Close of the third business day after the day of receipt: more than two days ahead even when
    // received after closing time (it was "three days" until a run at 17:00 London time on a
    // Monday met Thursday's close), and at most a week with a weekend and bank holidays between.
    // The exact instant is checked on a fixed date by the next test.
    const created = new Date(kase.created_at).getTime();
    expect(new Date(window.ends_at).getTime()).toBeGreaterThan(created + 2 * DAY);
    expect(new Date(window.ends_at).getTime()).toBeLessThan(created + 8 * DAY);
  });

  it('shows the summary resolution window of a complaint received on a Friday afternoon: close of the following Wednesday', async () => {
    const world = await slaWorld();
    await enable(world, 'fca_complaint');
    const kase = await openCase(world, { tags: ['complaint'] });
    // Received Friday 27 November 2026, 15:30 in London (GMT).
    await world.db
      .updateTable('cases')
      .set({ created_at: new Date('2026-11-27T15:30:00Z') })
      .where('id', '=', kase.id)
      .execute();
    const view = await casePreset(world, kase.id);
    expect(view.preset).toMatchObject({
      key: 'fca_complaint',
      received_at: '2026-11-27T15:30:00.000Z',
      business_day_window: {
        letter: 'summary_resolution',
        last_day: '2026-12-02',
        ends_at: '2026-12-02T17:00:00.000Z',
        time_zone: 'Europe/London',
        open: false,
      },
    });
    expect(view.preset!.letters.map((l) => l.key)).toEqual(['acknowledgement', 'summary_resolution', 'final_response']);
    expect(view.preset!.letters[2]!.body).toContain(`reference ${kase.number}`);
  });
});

describe('business days of the FCA window (Europe/London, England and Wales bank holidays)', () => {
  const uk = UK_BUSINESS_DAYS.schedule;
  const close = (received: string) => closeOfNthBusinessDayAfter(uk, new Date(received), 3);

  it('counts three business days after the day of receipt, whatever the time of receipt', () => {
    expect(close('2026-12-18T15:30:00Z')).toEqual({ day: '2026-12-23', closesAt: new Date('2026-12-23T17:00:00Z') });
    expect(close('2026-12-18T00:01:00Z')!.day).toBe('2026-12-23');
    // Summer time: 17:00 BST is 16:00 UTC; received Friday 12 June 2026 at 16:00 BST.
    expect(close('2026-06-12T15:00:00Z')).toEqual({ day: '2026-06-17', closesAt: new Date('2026-06-17T16:00:00Z') });
    // A Saturday receipt: Monday, Tuesday, Wednesday.
    expect(close('2026-06-13T10:00:00Z')!.day).toBe('2026-06-17');
    // 22:30 UTC is 23:30 on Friday in London.
    expect(close('2026-06-12T22:30:00Z')!.day).toBe('2026-06-17');
    // 23:30Z on Friday in summer is Saturday 00:30 in London: still Wednesday (Saturday is no business day).
    expect(close('2026-06-12T23:30:00Z')!.day).toBe('2026-06-17');
    // Thursday 11 June 2026, 23:30 UTC is Friday 00:30 in London: the day of receipt is Friday.
    expect(close('2026-06-11T23:30:00Z')!.day).toBe('2026-06-17');
  });

  it('skips bank holidays', () => {
    // Friday before the summer bank holiday (Monday 31 August 2026): Tuesday, Wednesday, Thursday.
    expect(close('2026-08-28T13:00:00Z')).toEqual({ day: '2026-09-03', closesAt: new Date('2026-09-03T16:00:00Z') });
    // Christmas Eve 2026 (Thursday): Christmas Day and the Boxing Day substitute (Monday 28th) are holidays.
    expect(close('2026-12-24T11:00:00Z')!.day).toBe('2026-12-31');
    // Good Friday 2027 is itself no business day; Easter Monday neither.
    expect(close('2027-03-25T16:00:00Z')!.day).toBe('2027-04-01');
  });
});
