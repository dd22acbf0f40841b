import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createTeam, unique } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { upsertBillingAccount, upsertPayment } from '../billing/service.js';
import { addMessage, listCaseEvents, recordCaseChange, updateCase } from '../cases/service.js';
import { updateCustomer } from '../customers/service.js';
import { automationWorld, caseRow, openCase, postTrigger, relay, runsOf, type AutomationWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const tagOn = (events: string[], tag: string, conditions: unknown[] = []) => ({
  events,
  conditions: { all: conditions, any: [] },
  actions: [{ type: 'add_tags', tags: [tag] }],
});

async function tagsOf(world: AutomationWorld, caseId: string) {
  return (await caseRow(world, caseId)).tags;
}

describe('triggers fire on case events', () => {
  it('on case.created, with conditions on the case and the customer', async () => {
    const world = await automationWorld();
    await postTrigger(world, tagOn(['case.created'], 'vip-new', [{ field: 'customer_tags', operator: 'includes', value: ['vip'] }]));
    await postTrigger(world, tagOn(['case.created'], 'never', [{ field: 'channel', operator: 'is', value: 'chat' }]));
    await postTrigger(world, tagOn(['case.updated'], 'not-on-create', [{ field: 'changed', operator: 'is', value: 'status' }]));
    const kase = await openCase(world);
    expect(await tagsOf(world, kase.id)).toEqual(['vip-new']);
  });

  it("on case.created, with a condition on the customer's tier", async () => {
    const world = await automationWorld();
    await postTrigger(world, tagOn(['case.created'], 'gold-customer', [{ field: 'customer_tier', operator: 'is', value: 'gold' }]));
    const before = await openCase(world);
    expect(await tagsOf(world, before.id)).toEqual([]);
    await updateCustomer(world.db, world.workspace.system, world.customerId, { version: 1, tier: 'gold' });
    const after = await openCase(world);
    expect(await tagsOf(world, after.id)).toEqual(['gold-customer']);
  });

  it('on case.updated with changed / changed_to, and on customer and agent replies (not the opening message)', async () => {
    const world = await automationWorld();
    await postTrigger(world, tagOn(['case.updated'], 'went-pending', [{ field: 'status', operator: 'changed_to', value: 'pending' }]));
    await postTrigger(
      world,
      tagOn(['case.customer_replied'], 'customer-wrote', [{ field: 'actor_type', operator: 'is', value: 'customer' }]),
    );
    await postTrigger(world, tagOn(['case.agent_replied'], 'agent-wrote', [{ field: 'actor_type', operator: 'is', value: 'agent' }]));
    const kase = await openCase(world);
    expect(await tagsOf(world, kase.id)).toEqual([]);

    await addMessage(world.db, world.agent.actor, kase.id, { bodyText: 'Looking into it', visibility: 'public' });
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['agent-wrote']);

    const row = await caseRow(world, kase.id);
    await updateCase(world.db, world.agent.actor, kase.id, { version: row.version, status: 'pending' });
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['agent-wrote', 'went-pending']);

    await addMessage(
      world.db,
      { kind: 'customer', workspaceId: world.workspace.id, customerId: world.customerId, caseId: kase.id },
      kase.id,
      {
        bodyText: 'Any news?',
        visibility: 'public',
      },
    );
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['agent-wrote', 'went-pending', 'customer-wrote']);
  });

  it('on SLA warnings and breaches', async () => {
    const world = await automationWorld();
    await postTrigger(world, tagOn(['sla.warning'], 'sla-warned'));
    await postTrigger(world, tagOn(['sla.breach'], 'sla-breached'));
    const kase = await openCase(world);
    await inTransaction(world.db, (tx) =>
      recordCaseChange(tx, world.workspace.system, { caseId: kase.id, type: 'sla_warning', data: { metric: 'first_reply' } }),
    );
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['sla-warned']);
    await inTransaction(world.db, (tx) =>
      recordCaseChange(tx, world.workspace.system, { caseId: kase.id, type: 'sla_breached', data: { metric: 'first_reply' } }),
    );
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['sla-warned', 'sla-breached']);
  });

  it("on a billing event, on the customer's open case", async () => {
    const world = await automationWorld();
    await postTrigger(
      world,
      tagOn(['billing.event'], 'payment-failed', [{ field: 'billing_event', operator: 'is', value: 'payment_failed' }]),
    );
    await postTrigger(world, tagOn(['billing.event'], 'refunded', [{ field: 'billing_event', operator: 'is', value: 'refund_recorded' }]));
    const kase = await openCase(world);
    await inTransaction(world.db, async (tx) => {
      const account = await upsertBillingAccount(tx, world.workspace.system, {
        customerId: world.customerId,
        source: 'ledger',
        externalId: null,
        currency: 'EUR',
      });
      await upsertPayment(tx, world.workspace.system, {
        accountId: account.id,
        externalId: unique('pay'),
        amountMinor: 4990,
        currency: 'EUR',
        status: 'failed',
        failureCode: 'card_declined',
        failureMessage: null,
        paidAt: new Date(),
        sourceEventAt: null,
      });
    });
    await relay(world.ctx);
    expect(await tagsOf(world, kase.id)).toEqual(['payment-failed']);
  });
});

describe('trigger order, loops and the run log', () => {
  it('runs triggers in position order; a later one sees what an earlier one changed', async () => {
    const world = await automationWorld();
    const escalation = await createTeam(world.workspace, { memberIds: [world.supervisor.id] });
    const raise = await postTrigger(world, {
      name: 'Raise billing',
      events: ['case.created'],
      conditions: { all: [{ field: 'category', operator: 'is', value: 'technical' }], any: [] },
      actions: [{ type: 'set_priority', priority: 'high' }],
    });
    const route = await postTrigger(world, {
      name: 'Route high',
      events: ['case.created'],
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'high' }], any: [] },
      actions: [{ type: 'assign_team', team_id: escalation.id }],
    });
    const kase = await openCase(world, { category: 'technical' });
    const row = await caseRow(world, kase.id);
    expect(row.priority).toBe('high');
    expect(row.team_id).toBe(escalation.id);
    const runs = await runsOf(world, kase.id);
    expect(runs.map((r) => [r.rule_id, r.outcome])).toEqual([
      [raise.id, 'applied'],
      [route.id, 'applied'],
    ]);

    // Reversed, the router runs first and does not match yet (priority is normal); it never
    // runs again for the same root event.
    await world.app.inject({
      method: 'PUT',
      url: '/api/v1/triggers/order',
      headers: world.admin.headers,
      payload: { trigger_ids: [route.id, raise.id] },
    });
    const second = await openCase(world, { category: 'technical' });
    const secondRow = await caseRow(world, second.id);
    expect(secondRow.priority).toBe('high');
    expect(secondRow.team_id).toBeNull();
  });

  it('stops two triggers that would ping-pong, and logs the stop', async () => {
    const world = await automationWorld();
    const a = await postTrigger(world, {
      name: 'A: x to y',
      events: ['case.updated'],
      conditions: {
        all: [
          { field: 'changed', operator: 'is', value: 'tags' },
          { field: 'tags', operator: 'includes', value: 'x' },
        ],
        any: [],
      },
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'remove_tags', tags: ['x'] },
        { type: 'add_tags', tags: ['y'] },
      ],
    });
    const b = await postTrigger(world, {
      name: 'B: y to x',
      events: ['case.updated'],
      conditions: {
        all: [
          { field: 'changed', operator: 'is', value: 'tags' },
          { field: 'tags', operator: 'includes', value: 'y' },
        ],
        any: [],
      },
      actions: [
        { type: 'remove_tags', tags: ['y'] },
        { type: 'add_tags', tags: ['x'] },
      ],
    });
    const kase = await openCase(world);
    const row = await caseRow(world, kase.id);
    await updateCase(world.db, world.agent.actor, kase.id, { version: row.version, tags: ['x'] });
    await relay(world.ctx);

    const after = await caseRow(world, kase.id);
    expect(after.priority).toBe('high');
    expect(after.tags).toEqual(['x']);
    const runs = await runsOf(world, kase.id);
    const applied = runs.filter((r) => r.outcome === 'applied');
    // Within the first event's pass, B sees A's change at once (later triggers see earlier changes).
    expect(applied.map((r) => [r.rule_id, r.depth])).toEqual([
      [a.id, 0],
      [b.id, 0],
    ]);
    const skipped = runs.filter((r) => r.outcome === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((r) => r.skip_reason === 'already_ran' && r.depth >= 1)).toBe(true);
    expect(skipped.map((r) => r.rule_id)).toContain(a.id);
  });

  it('stops a chain of trigger-caused events at depth 3 (loop_limit)', async () => {
    const world = await automationWorld();
    // Positions in reverse so each link only fires on the event the previous one caused.
    const chain = ['d:e', 'c:d', 'b:c', 'a:b'];
    const ids: Record<string, string> = {};
    for (const link of chain) {
      const [from, to] = link.split(':') as [string, string];
      ids[from] = (
        await postTrigger(world, {
          name: `Chain ${link}`,
          events: ['case.updated'],
          conditions: {
            all: [
              { field: 'changed', operator: 'is', value: 'tags' },
              { field: 'tags', operator: 'includes', value: from },
            ],
            any: [],
          },
          actions: [{ type: 'add_tags', tags: [to] }],
        })
      ).id;
    }
    const kase = await openCase(world);
    await updateCase(world.db, world.agent.actor, kase.id, { version: (await caseRow(world, kase.id)).version, tags: ['a'] });
    await relay(world.ctx);
    expect((await caseRow(world, kase.id)).tags).toEqual(['a', 'b', 'c', 'd']);
    const runs = (await runsOf(world, kase.id)).filter((r) => r.skip_reason !== 'already_ran');
    expect(runs.map((r) => [r.rule_id, r.outcome, r.skip_reason, r.depth])).toEqual([
      [ids.a, 'applied', null, 0],
      [ids.b, 'applied', null, 1],
      [ids.c, 'applied', null, 2],
      [ids.d, 'skipped', 'loop_limit', 3],
    ]);
  });

  it('writes the run into the case history and keeps going when one action fails', async () => {
    const world = await automationWorld();
    const trigger = await postTrigger(world, {
      name: 'Close and tag',
      events: ['case.created'],
      conditions: { all: [], any: [] },
      actions: [
        { type: 'set_status', status: 'closed' },
        { type: 'add_tags', tags: ['still-tagged'] },
      ],
    });
    const kase = await openCase(world);
    expect(await tagsOf(world, kase.id)).toEqual(['still-tagged']);
    const [run] = await runsOf(world, kase.id);
    expect(run).toMatchObject({ rule_id: trigger.id, outcome: 'applied', event_type: 'case.created' });
    expect(run!.action_results.map((r) => [r.type, r.ok, r.error ?? null])).toEqual([
      ['set_status', false, 'case.illegal_transition'],
      ['add_tags', true, null],
    ]);
    const history = await listCaseEvents(world.db, world.agent.actor, kase.id);
    const applied = history.find((e) => e.type === 'automation_applied');
    expect(applied).toBeDefined();
    expect(applied!.data).toMatchObject({ rule_name: 'Close and tag', rule_kind: 'trigger' });
    const tagged = history.find((e) => e.type === 'tags_changed');
    expect(tagged!.data).toMatchObject({ origin: { kind: 'trigger', rule_id: trigger.id, depth: 0 } });
  });
});

describe('message and notification actions', () => {
  it('notify queues a mail to the named agents, the assignee and a role, with placeholders filled', async () => {
    const world = await automationWorld();
    await postTrigger(world, {
      events: ['case.created'],
      conditions: { all: [], any: [] },
      actions: [
        { type: 'notify', assignee: true, roles: ['supervisor'], subject: 'New case #{{case.number}}', body: 'From {{customer.name}}' },
      ],
    });
    const kase = await openCase(world, { assigneeId: world.agent.id, teamId: world.team.id });
    const mails = (
      await world.db.selectFrom('outbound_mail').selectAll().where('case_id', '=', kase.id).where('kind', '=', 'notification').execute()
    ).filter((m) => m.subject.startsWith('New case'));
    expect(mails.map((m) => m.recipient_agent_id).sort()).toEqual([world.agent.id, world.supervisor.id].sort());
    expect(mails[0]!.subject).toBe(`New case #${kase.number}`);
    expect(mails[0]!.body_text).toContain('From Casey Customer');
  });

  it('a public send_message on an email case is mailed to the customer; an internal one is not', async () => {
    const world = await automationWorld();
    await postTrigger(world, {
      events: ['case.created'],
      conditions: { all: [], any: [] },
      actions: [
        { type: 'send_message', visibility: 'public', body: 'Hello {{customer.first_name}}, we got case #{{case.number}}.' },
        { type: 'send_message', visibility: 'internal', body: 'Auto-acknowledged' },
      ],
    });
    const kase = await openCase(world);
    const messages = await world.db
      .selectFrom('messages')
      .selectAll()
      .where('case_id', '=', kase.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const publicOne = messages.find((m) => m.author_type === 'system' && m.visibility === 'public');
    expect(publicOne!.body_text).toBe(`Hello Casey, we got case #${kase.number}.`);
    expect(messages.some((m) => m.visibility === 'internal' && m.body_text === 'Auto-acknowledged')).toBe(true);
    const mails = await world.db
      .selectFrom('outbound_mail')
      .selectAll()
      .where('case_id', '=', kase.id)
      .where('kind', '=', 'reply')
      .execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.message_id).toBe(publicOne!.id);
    expect(JSON.stringify(mails[0]!.to_addresses)).toContain(world.customerEmail);
  });
});
