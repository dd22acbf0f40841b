import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { customerWorld, postCustomer, uniqueEmail, errorOf, type PageBody } from './test-support.js';
import type { CustomerView } from './view.js';

// Starting the database and server is slow on a busy machine: let the hook (60 s) pay for it, not the first test (30 s).
beforeAll(async () => {
  await getTestApp();
});

describe('customer identities', () => {
  it('refuses an email that belongs to another customer with 409 naming the value', async () => {
    const { app, agent } = await customerWorld();
    const email = uniqueEmail();
    const first = await postCustomer(agent, { name: 'First', emails: [email] });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: agent.headers,
      payload: { name: 'Second', emails: ['other@example.test', ` ${email.toUpperCase()}`] },
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({
      code: 'customer.identity_taken',
      details: { kind: 'email', value: email, field: 'emails.1', customer_id: first.id },
    });
    // Nothing of the refused create remains (one transaction).
    const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: agent.headers });
    expect(list.json<PageBody<CustomerView>>().data.map((c: CustomerView) => c.id)).toEqual([first.id]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/customers?q=other%40', headers: agent.headers })).json<PageBody<CustomerView>>()
        .data,
    ).toEqual([]);
  });

  it('refuses adding a taken phone to another customer, and to the same customer twice', async () => {
    const { app, agent } = await customerWorld();
    const a = await postCustomer(agent, { name: 'A', phones: ['+1 (555) 010-0001'] });
    const b = await postCustomer(agent, { name: 'B' });
    const taken = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${b.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'phone', value: '+1.555.010.0001' },
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken)).toMatchObject({
      code: 'customer.identity_taken',
      details: { value: '+15550100001', kind: 'phone', customer_id: a.id },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'phone', value: '+15550100001' },
    });
    expect(again.statusCode).toBe(409);
    const bView = await app.inject({ method: 'GET', url: `/api/v1/customers/${b.id}`, headers: agent.headers });
    expect(bView.json()).toMatchObject({ phones: [], version: 1 });
  });

  it('allows the same value in two workspaces', async () => {
    const email = uniqueEmail();
    const one = await customerWorld();
    const two = await customerWorld();
    await postCustomer(one.agent, { name: 'One', emails: [email] });
    await postCustomer(two.agent, { name: 'Two', emails: [email] });
  });

  it('adds, promotes and removes identities, keeping one primary per kind', async () => {
    const { app, agent } = await customerWorld();
    const [e1, e2, e3] = [uniqueEmail('one'), uniqueEmail('two'), uniqueEmail('three')];
    const customer = await postCustomer(agent, { name: 'Multi', emails: [e1, e2] });
    expect(customer.emails.map((e) => [e.value, e.is_primary])).toEqual([
      [e1, true],
      [e2, false],
    ]);
    // Added within one tick of a millisecond clock (the embedded database's): created_at ties,
    // and the order of addition must still hold.
    const { db } = await getTestContext();
    await db
      .updateTable('customer_identities')
      .set({ created_at: new Date('2026-12-07T21:00:00.000Z') })
      .where('customer_id', '=', customer.id)
      .execute();

    const added = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'email', value: e3.toUpperCase(), is_primary: true },
    });
    expect(added.statusCode, added.body).toBe(201);
    const afterAdd = added.json<CustomerView>();
    expect(afterAdd.version).toBe(2);
    expect(afterAdd.emails.map((e) => [e.value, e.is_primary])).toEqual([
      [e3, true],
      [e1, false],
      [e2, false],
    ]);

    const phone = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'phone', value: '0049 30 123456' },
    });
    expect(phone.json<CustomerView>().phones).toEqual([
      { id: expect.any(String) as unknown, value: '004930123456', is_primary: true, undeliverable: false },
    ]);

    const e2Id = afterAdd.emails.find((e) => e.value === e2)!.id;
    const promoted = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/identities/${e2Id}/primary`,
      headers: agent.headers,
    });
    expect(promoted.statusCode).toBe(200);
    expect(
      promoted
        .json<CustomerView>()
        .emails.filter((e) => e.is_primary)
        .map((e) => e.value),
    ).toEqual([e2]);

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${customer.id}/identities/${e2Id}`,
      headers: agent.headers,
    });
    expect(removed.statusCode).toBe(200);
    const afterRemove = removed.json<CustomerView>();
    // The oldest remaining email becomes primary.
    expect(afterRemove.emails.map((e) => [e.value, e.is_primary])).toEqual([
      [e1, true],
      [e3, false],
    ]);

    const gone = await app.inject({ method: 'DELETE', url: `/api/v1/customers/${customer.id}/identities/${e2Id}`, headers: agent.headers });
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone).code).toBe('customer_identity.not_found');
    // The freed value may be used again.
    await postCustomer(agent, { name: 'Reuse', emails: [e2] });
  });

  it('refuses an identity of another customer of the same workspace in the path', async () => {
    const { app, agent } = await customerWorld();
    const a = await postCustomer(agent, { name: 'A', emails: [uniqueEmail()] });
    const b = await postCustomer(agent, { name: 'B' });
    const res = await app.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${b.id}/identities/${a.emails[0]!.id}`,
      headers: agent.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${a.id}`, headers: agent.headers })).json<CustomerView>().emails,
    ).toHaveLength(1);
  });

  it('validates identity values', async () => {
    const { app, agent } = await customerWorld();
    const c = await postCustomer(agent, { name: 'V' });
    const badEmail = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${c.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'email', value: 'nope' },
    });
    expect(badEmail.statusCode).toBe(400);
    expect(errorOf(badEmail)).toMatchObject({ code: 'customer.invalid_email', details: { field: 'value' } });
    const badPhone = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${c.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'phone', value: 'call me' },
    });
    expect(errorOf(badPhone)).toMatchObject({ code: 'customer.invalid_phone', details: { field: 'value' } });
    const badKind = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${c.id}/identities`,
      headers: agent.headers,
      payload: { kind: 'fax', value: '123456' },
    });
    expect(badKind.statusCode).toBe(400);
    expect(errorOf(badKind).details.fields.map((f: { field: string }) => f.field)).toContain('kind');
  });
});
