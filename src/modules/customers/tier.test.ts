import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { customerWorld, postCustomer } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

describe('customer tier', () => {
  it('is set on create (trimmed, lower-cased), changed and removed on update, and filters the list', async () => {
    const { agent, app } = await customerWorld();
    const gold = await postCustomer(agent, { name: 'Ada Gold', tier: ' Gold ' });
    expect(gold.tier).toBe('gold');
    const none = await postCustomer(agent, { name: 'Bob None' });
    expect(none.tier).toBeNull();
    const enterprise = await postCustomer(agent, { name: 'Cy Enterprise', tier: 'enterprise-plus_2' });
    expect(enterprise.tier).toBe('enterprise-plus_2');

    const list = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/customers?${query}`, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ data: { id: string }[] }>().data.map((c) => c.id);
    };
    expect(await list('tier=GOLD')).toEqual([gold.id]);
    expect(await list('tier=silver')).toEqual([]);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${none.id}`,
      headers: agent.headers,
      payload: { version: none.version, tier: 'silver' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ tier: 'silver', version: none.version + 1 });

    const cleared = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${gold.id}`,
      headers: agent.headers,
      payload: { version: gold.version, tier: null },
    });
    expect(cleared.json()).toMatchObject({ tier: null });
    const fetched = await app.inject({ method: 'GET', url: `/api/v1/customers/${gold.id}`, headers: agent.headers });
    expect(fetched.json()).toMatchObject({ tier: null });
    expect(await list('tier=gold')).toEqual([]);
  });

  it('refuses a tier that is no slug', async () => {
    const { agent, app } = await customerWorld();
    for (const tier of ['', '   ', '-gold', 'gold plus', 'gold!', 'x'.repeat(41), 'über']) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: agent.headers, payload: { name: 'Dee', tier } });
      expect(res.statusCode, tier).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'customer.invalid_tier', details: { field: 'tier' } } });
    }
    const tooLong = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: agent.headers,
      payload: { name: 'Dee', tier: 'x'.repeat(61) },
    });
    expect(tooLong.statusCode).toBe(400);
    const number = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: agent.headers,
      payload: { name: 'Dee', tier: 3 },
    });
    expect(number.statusCode).toBe(400);
  });
});
