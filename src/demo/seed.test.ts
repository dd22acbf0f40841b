import { describe, expect, it } from 'vitest';
import { getTestContext } from '../test/harness.js';
import { unique } from '../test/factories.js';
import { seedDemoData } from './seed.js';

describe('demo data', () => {
  it('creates agents in two teams, customers and cases across statuses through the services', async () => {
    const { db } = await getTestContext();
    const slug = unique('demo');
    const logins = await seedDemoData(db, { customers: 12, cases: 40, slug, emailDomain: `${slug}.test` });
    expect(logins.map((l) => l.role)).toContain('admin');
    const ws = await db.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    const teams = await db.selectFrom('teams').select('name').where('workspace_id', '=', ws.id).orderBy('name').execute();
    expect(teams.map((t) => t.name)).toEqual(['Service', 'Support']);
    const queues = await db.selectFrom('queues').select('name').where('workspace_id', '=', ws.id).orderBy('name').execute();
    expect(queues.map((q) => q.name)).toEqual(['Billing', 'Disputes', 'Payments', 'Technical']);
    const statuses = await db.selectFrom('cases').select('status').distinct().where('workspace_id', '=', ws.id).execute();
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    // The demo dispute (src/demo/disputes.ts) opens its own case beside the 40 conversations.
    const disputeCases = await db
      .selectFrom('cases')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('type', '=', 'dispute')
      .execute();
    expect(disputeCases).toHaveLength(1);
    const cases = await db
      .selectFrom('cases')
      .select(['created_at', 'team_id'])
      .where('workspace_id', '=', ws.id)
      .where('type', '<>', 'dispute')
      .execute();
    expect(cases).toHaveLength(40);
    expect(cases.every((c) => c.team_id !== null)).toBe(true);
    // Spread over time, not all "just now".
    expect(cases.some((c) => Date.now() - c.created_at.getTime() > 86_400_000)).toBe(true);
    const customers = await db.selectFrom('customers').select('id').where('workspace_id', '=', ws.id).execute();
    expect(customers).toHaveLength(12);
    // The demo history is settled: the relay hands none of it to listeners (no reply or notification mail).
    const pending = await db
      .selectFrom('domain_events')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('published_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(0);
    const mailboxes = await db.selectFrom('mailboxes').select('address').where('workspace_id', '=', ws.id).orderBy('address').execute();
    expect(mailboxes.map((m) => m.address)).toEqual([`billing@${slug}.test`, `support@${slug}.test`]);
  });
});
