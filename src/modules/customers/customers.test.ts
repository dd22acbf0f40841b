import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../http/pagination.js';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { customerWorld, postCustomer, uniqueEmail, errorOf, type PageBody } from './test-support.js';
import type { CustomerView } from './view.js';

// Starting the database and server is slow on a busy machine: let the hook (60 s) pay for it, not the first test (30 s).
beforeAll(async () => {
  await getTestApp();
});

describe('customer profiles API', () => {
  it('creates, reads, lists and patches a customer', async () => {
    const { app, agent } = await customerWorld();
    const email = uniqueEmail('Ada');
    const created = await postCustomer(agent, {
      name: '  Ada Lovelace ',
      organization: 'Analytical Engines Ltd',
      emails: [`  ${email.toUpperCase()} `],
      phones: ['+44 (20) 7946-0958'],
      postal_address: { line1: '12 St James Square', city: 'London', postal_code: 'SW1Y 4JH', country: 'gb' },
      language: 'en-gb',
      time_zone: 'europe/london',
      preferred_channel: 'letter',
      correspondence_format: 'postcard',
      notes: 'Prefers mornings',
      tags: [' VIP ', 'vip', 'Billing'],
    });
    expect(created).toMatchObject({
      name: 'Ada Lovelace',
      organization: 'Analytical Engines Ltd',
      emails: [{ value: email.toLowerCase(), is_primary: true, undeliverable: false }],
      phones: [{ value: '+442079460958', is_primary: true, undeliverable: false }],
      postal_address: { line1: '12 St James Square', city: 'London', postal_code: 'SW1Y 4JH', country: 'GB' },
      language: 'en-GB',
      time_zone: 'Europe/London',
      preferred_channel: 'letter',
      correspondence_format: 'postcard',
      notes: 'Prefers mornings',
      tags: ['vip', 'billing'],
      merged_into_id: null,
      version: 1,
    });
    expect(created.postal_address).not.toHaveProperty('line2');

    const got = await app.inject({ method: 'GET', url: `/api/v1/customers/${created.id}`, headers: agent.tokenHeaders });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(created);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: agent.headers,
      payload: { version: 1, organization: 'Babbage & Co', postal_address: null, tags: ['Gold'] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = patched.json<CustomerView>();
    expect(after).toMatchObject({
      version: 2,
      organization: 'Babbage & Co',
      postal_address: null,
      tags: ['gold'],
      name: 'Ada Lovelace',
      notes: 'Prefers mornings',
    });
    expect(new Date(after.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(created.updated_at).getTime());

    const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: agent.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ data: [after], next_cursor: null });
  });

  it('applies defaults when only a name is given', async () => {
    const { agent } = await customerWorld();
    const created = await postCustomer(agent, { name: 'Walk-in' });
    expect(created).toMatchObject({
      emails: [],
      phones: [],
      language: 'en',
      time_zone: 'UTC',
      preferred_channel: 'email',
      correspondence_format: 'email',
      tags: [],
      notes: '',
      postal_address: null,
    });
  });

  it('pages the list newest first with a cursor and filters by tag and q', async () => {
    const { app, agent } = await customerWorld();
    const a = await postCustomer(agent, { name: 'Grace Hopper', emails: ['grace@navy.example'], tags: ['navy'] });
    const b = await postCustomer(agent, { name: 'Alan Turing', emails: ['alan@bletchley.example'], phones: ['+44 1908 640404'] });
    const c = await postCustomer(agent, { name: 'Katherine Johnson', emails: ['kj@nasa.example'], tags: ['navy', 'space'] });

    const first = (await app.inject({ method: 'GET', url: '/api/v1/customers?limit=2', headers: agent.headers })).json<{
      data: CustomerView[];
      next_cursor: string;
    }>();
    expect(first.data.map((x) => x.id)).toEqual([c.id, b.id]);
    expect(first.next_cursor).toEqual(expect.any(String) as unknown);
    const second = (
      await app.inject({ method: 'GET', url: `/api/v1/customers?limit=2&cursor=${first.next_cursor}`, headers: agent.headers })
    ).json<{ data: CustomerView[]; next_cursor: string | null }>();
    expect(second.data.map((x) => x.id)).toEqual([a.id]);
    expect(second.next_cursor).toBeNull();
    // Identities of every customer on the page come along.
    expect(first.data[1]!.phones[0]!.value).toBe('+441908640404');

    const ids = async (query: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/customers?${query}`, headers: agent.headers }))
        .json<{ data: CustomerView[] }>()
        .data.map((x) => x.id);
    expect(await ids('tag=NAVY')).toEqual([c.id, a.id]);
    expect(await ids('q=grace')).toEqual([a.id]);
    expect(await ids('q=turing')).toEqual([b.id]);
    expect(await ids('q=ALAN%40bletch')).toEqual([b.id]);
    expect(await ids('q=%2B44%201908')).toEqual([b.id]);
    expect(await ids('q=%25')).toEqual([]);
    expect(await ids('q=kj%40nasa.example&tag=space')).toEqual([c.id]);

    const bad = await app.inject({ method: 'GET', url: '/api/v1/customers?cursor=not-a-cursor', headers: agent.headers });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('pagination.invalid_cursor');
    // Cursors come from the client: forged contents are a 400, never a database cast error.
    for (const forged of [
      encodeCursor(['2024-02-30 10:00:00.123456+00', a.id]),
      encodeCursor(['2024-01-01 10:00:00+00', 'not-a-uuid']),
      encodeCursor(['yesterday', a.id]),
    ]) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/customers?cursor=${forged}`, headers: agent.headers });
      expect(res.statusCode).toBe(400);
      const merges = await app.inject({ method: 'GET', url: `/api/v1/customers/${a.id}/merges?cursor=${forged}`, headers: agent.headers });
      expect(errorOf(merges).code).toBe('pagination.invalid_cursor');
    }
  });

  it('refuses a stale version with 409 and leaves the customer unchanged', async () => {
    const { app, agent } = await customerWorld();
    const created = await postCustomer(agent, { name: 'Stale' });
    const ok = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: agent.headers,
      payload: { version: 1, name: 'Fresh' },
    });
    expect(ok.json<CustomerView>().version).toBe(2);
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      headers: agent.headers,
      payload: { version: 1, name: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'customer.stale_version', details: { current_version: 2 } });
    const got = await app.inject({ method: 'GET', url: `/api/v1/customers/${created.id}`, headers: agent.headers });
    expect(got.json()).toMatchObject({ name: 'Fresh', version: 2 });
  });

  it('replays a create with the same Idempotency-Key and refuses the key for another body', async () => {
    const { app, agent, workspace } = await customerWorld();
    const email = uniqueEmail();
    const headers = { ...agent.headers, 'idempotency-key': 'create-1' };
    const first = await app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { name: 'Once', emails: [email] } });
    const second = await app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { name: 'Once', emails: [email] } });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const { db } = await getTestContext();
    const count = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const other = await app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { name: 'Twice' } });
    expect(other.statusCode).toBe(422);
    expect(errorOf(other).code).toBe('idempotency.key_reused');
  });

  it('answers 404 for a customer of another workspace, on every route', async () => {
    const { app, agent } = await customerWorld();
    const otherWorkspace = await createWorkspace();
    const stranger = await createAgent(otherWorkspace, { role: 'admin' });
    const customer = await postCustomer(agent, { name: 'Private', emails: [uniqueEmail()] });
    const identityId = customer.emails[0]!.id;
    const mine = await postCustomer(stranger, { name: 'Theirs' });
    const calls = [
      { method: 'GET' as const, url: `/api/v1/customers/${customer.id}` },
      { method: 'PATCH' as const, url: `/api/v1/customers/${customer.id}`, payload: { version: 1, name: 'x' } },
      { method: 'POST' as const, url: `/api/v1/customers/${customer.id}/identities`, payload: { kind: 'phone', value: '+1 555 0100 22' } },
      { method: 'DELETE' as const, url: `/api/v1/customers/${customer.id}/identities/${identityId}` },
      { method: 'POST' as const, url: `/api/v1/customers/${customer.id}/identities/${identityId}/primary` },
      { method: 'GET' as const, url: `/api/v1/customers/${customer.id}/merges` },
      { method: 'POST' as const, url: `/api/v1/customers/${customer.id}/merge`, payload: { source_customer_id: mine.id } },
      { method: 'POST' as const, url: `/api/v1/customers/${mine.id}/merge`, payload: { source_customer_id: customer.id } },
    ];
    for (const call of calls) {
      const res = await app.inject({ ...call, headers: stranger.headers });
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(404);
      expect(errorOf(res).code).toBe('customer.not_found');
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: stranger.headers });
    expect(list.json<PageBody<CustomerView>>().data.map((c: CustomerView) => c.id)).toEqual([mine.id]);
    const unchanged = await app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}`, headers: agent.headers });
    expect(unchanged.json()).toEqual(customer);
  });

  it('documents every customer route in the OpenAPI document', async () => {
    const app = await getTestApp();
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/v1/customers',
        'POST /api/v1/customers',
        'GET /api/v1/customers/{id}',
        'PATCH /api/v1/customers/{id}',
        'POST /api/v1/customers/{id}/identities',
        'DELETE /api/v1/customers/{id}/identities/{identityId}',
        'POST /api/v1/customers/{id}/identities/{identityId}/primary',
        'POST /api/v1/customers/{id}/merge',
        'GET /api/v1/customers/{id}/merges',
        'POST /api/v1/customer-merges/{id}/undo',
      ]) as unknown,
    );
  });

  it('requires authentication and the CSRF header', async () => {
    const { app, agent } = await customerWorld();
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { cookie: agent.headers.cookie! },
      payload: { name: 'x' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});
