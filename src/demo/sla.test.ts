import { describe, expect, it } from 'vitest';
import { JobWorker } from '../platform/jobs.js';
import { slaTimerJob } from '../modules/sla/service.js';
import { getTestContext } from '../test/harness.js';
import { unique } from '../test/factories.js';
import { seedDemoData } from './seed.js';

describe('demo SLA', () => {
  it('seeds business hours, team schedules and three policies, and starts the open cases’ clocks as settled history', async () => {
    const ctx = await getTestContext();
    const { db } = ctx;
    const slug = unique('demo');
    await seedDemoData(db, { customers: 8, cases: 30, slug, emailDomain: `${slug}.test` });
    const ws = await db.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();

    const policies = await db
      .selectFrom('sla_policies')
      .select(['name', 'time_basis', 'first_reply_minutes', 'resolution_minutes', 'position'])
      .where('workspace_id', '=', ws.id)
      .orderBy('position')
      .execute();
    expect(policies.map((p) => [p.name, p.time_basis])).toEqual([
      ['Urgent (24x7)', 'calendar'],
      ['Billing', 'business'],
      ['Standard', 'business'],
    ]);
    expect(policies[1]).toMatchObject({ first_reply_minutes: 240, resolution_minutes: 3 * 8 * 60 });
    const schedules = await db
      .selectFrom('sla_schedules')
      .select(['name', 'is_default'])
      .where('workspace_id', '=', ws.id)
      .orderBy('name')
      .execute();
    expect(schedules).toEqual([
      { name: 'Berlin office hours', is_default: true },
      { name: 'Support hours (New York)', is_default: false },
    ]);
    expect(await db.selectFrom('sla_team_schedules').select('team_id').where('workspace_id', '=', ws.id).execute()).toHaveLength(2);

    const open = await db
      .selectFrom('cases')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
      .execute();
    const clocks = await db.selectFrom('sla_case_clocks').select(['case_id', 'policy_id']).where('workspace_id', '=', ws.id).execute();
    expect(clocks).toHaveLength(open.length);
    expect(clocks.every((c) => c.policy_id !== null)).toBe(true);
    expect(await db.selectFrom('sla_case_targets').select('id').where('workspace_id', '=', ws.id).execute()).not.toHaveLength(0);

    // History stays history: no unpublished events, and timers that were due at seeding change nothing.
    const pending = await db
      .selectFrom('domain_events')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('published_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(0);
    const worker = new JobWorker(db, ctx.logger);
    worker.register(slaTimerJob(ctx));
    await worker.runDue();
    const escalated = await db
      .selectFrom('case_events')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('type', 'in', ['sla_breached', 'sla_warning'])
      .execute();
    expect(escalated).toHaveLength(0);
  });
});
