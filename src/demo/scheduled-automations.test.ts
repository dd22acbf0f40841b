import { describe, expect, it } from 'vitest';
import { runScheduledAutomations } from '../modules/automation/scheduled/service.js';
import { getTestContext } from '../test/harness.js';
import { unique } from '../test/factories.js';
import { seedDemoData } from './seed.js';

describe('demo scheduled automations', () => {
  it('seeds "Close solved cases after 4 days" switched on and an example switched off; a run right after seeding closes nothing yet', async () => {
    const ctx = await getTestContext();
    const slug = unique('demo');
    await seedDemoData(ctx.db, { customers: 6, cases: 20, slug, emailDomain: `${slug}.test` });
    const ws = await ctx.db.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    const rules = await ctx.db
      .selectFrom('scheduled_automations')
      .select(['name', 'enabled', 'position', 'conditions', 'actions'])
      .where('workspace_id', '=', ws.id)
      .orderBy('position')
      .execute();
    expect(rules.map((r) => [r.name, r.enabled])).toEqual([
      ['Close solved cases after 4 days', true],
      ['Escalate new cases unanswered for 24 hours', false],
    ]);
    expect(rules[0]!.actions).toEqual([{ type: 'set_status', status: 'closed' }]);

    const solvedBefore = await ctx.db
      .selectFrom('cases')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('status', '=', 'solved')
      .execute();
    expect(solvedBefore.length).toBeGreaterThan(0);
    // The demo's solved cases changed status at seed time (their history is real): 4 days to go.
    await runScheduledAutomations(ctx);
    const solvedAfter = await ctx.db
      .selectFrom('cases')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('status', '=', 'solved')
      .execute();
    expect(solvedAfter).toHaveLength(solvedBefore.length);
    await runScheduledAutomations(ctx, { now: new Date(Date.now() + 97 * 3_600_000) });
    const closedLater = await ctx.db
      .selectFrom('cases')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('status', '=', 'solved')
      .execute();
    expect(closedLater).toHaveLength(0);
  });
});
