import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { openCase, postPolicy, relaySla, slaEventsOf, slaWorld, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function patchCustomer(world: SlaWorld, customerId: string, body: Record<string, unknown>) {
  const current = await world.app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}`, headers: world.agent.headers });
  const res = await world.app.inject({
    method: 'PATCH',
    url: `/api/v1/customers/${customerId}`,
    headers: world.agent.headers,
    payload: { version: current.json<{ version: number }>().version, ...body },
  });
  expect(res.statusCode, res.body).toBe(200);
  await relaySla(world.ctx);
  return res.json<{ tier: string | null; tags: string[] }>();
}

async function policyOf(world: SlaWorld, caseId: string) {
  const clock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return clock.policy_id;
}

describe('customer tier as an SLA condition', () => {
  it('matches customer_tiers and re-evaluates open cases when the tier changes on the customer', async () => {
    const world = await slaWorld();
    const gold = await postPolicy(world, { conditions: { customer_tiers: ['gold', 'platinum'] }, targets: { first_reply_minutes: 30 } });
    const standard = await postPolicy(world, { targets: { first_reply_minutes: 240 } });
    const stored = await world.app.inject({ method: 'GET', url: `/api/v1/sla-policies/${gold.id}`, headers: world.agent.headers });
    expect(stored.json()).toMatchObject({ conditions: { customer_tiers: ['gold', 'platinum'] } });

    const kase = await openCase(world);
    expect(await policyOf(world, kase.id)).toBe(standard.id);

    expect((await patchCustomer(world, world.customerId, { tier: 'Gold' })).tier).toBe('gold');
    expect(await policyOf(world, kase.id)).toBe(gold.id);
    const applied = (await slaEventsOf(world, kase.id)).filter((e) => e.type === 'applied').at(-1)!;
    expect(applied.data).toMatchObject({ reason: 'customer_updated', policy_name: expect.any(String) });

    // A change of other fields does not touch the clocks.
    const before = (await slaEventsOf(world, kase.id)).length;
    await patchCustomer(world, world.customerId, { notes: 'Prefers letters' });
    expect((await slaEventsOf(world, kase.id)).length).toBe(before);

    await patchCustomer(world, world.customerId, { tier: null });
    expect(await policyOf(world, kase.id)).toBe(standard.id);

    // A new case of a gold customer gets the gold policy from the start.
    await patchCustomer(world, world.customerId, { tier: 'platinum' });
    const second = await openCase(world);
    expect(await policyOf(world, second.id)).toBe(gold.id);
  });

  it('re-evaluates open cases when the customer tags change (customer_tags)', async () => {
    const world = await slaWorld();
    const vip = await postPolicy(world, { conditions: { customer_tags: ['vip'] }, targets: { first_reply_minutes: 30 } });
    const standard = await postPolicy(world, { targets: { first_reply_minutes: 240 } });
    const kase = await openCase(world);
    expect(await policyOf(world, kase.id)).toBe(standard.id);
    await patchCustomer(world, world.customerId, { tags: ['VIP'] });
    expect(await policyOf(world, kase.id)).toBe(vip.id);
  });

  it('leaves solved cases alone', async () => {
    const world = await slaWorld();
    await postPolicy(world, { conditions: { customer_tiers: ['gold'] }, targets: { first_reply_minutes: 30 } });
    const standard = await postPolicy(world, { targets: { first_reply_minutes: 240, resolution_minutes: 600 } });
    const kase = await openCase(world);
    await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${kase.id}`,
      headers: world.agent.headers,
      payload: { version: kase.version, status: 'solved' },
    });
    await relaySla(world.ctx);
    await patchCustomer(world, world.customerId, { tier: 'gold' });
    expect(await policyOf(world, kase.id)).toBe(standard.id);
  });

  it('refuses a tier condition that is no slug, and matches case tags (case_tags)', async () => {
    const world = await slaWorld();
    const bad = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: world.admin.headers,
      payload: { name: 'Bad', time_basis: 'calendar', targets: { first_reply_minutes: 60 }, conditions: { customer_tiers: ['Gold Plus'] } },
    });
    expect(bad.statusCode).toBe(400);
    const tagged = await postPolicy(world, { conditions: { case_tags: ['Escalated'] }, targets: { first_reply_minutes: 15 } });
    const stored = await world.app.inject({ method: 'GET', url: `/api/v1/sla-policies/${tagged.id}`, headers: world.agent.headers });
    expect(stored.json()).toMatchObject({ conditions: { case_tags: ['escalated'] } });
    const kase = await openCase(world, { tags: ['escalated'] });
    expect(await policyOf(world, kase.id)).toBe(tagged.id);
    const other = await openCase(world);
    expect(await policyOf(world, other.id)).toBeNull();
  });
});
