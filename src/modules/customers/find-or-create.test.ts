import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { findOrCreateCustomerByEmail, getCustomer, getCustomerSummaries, mergeCustomers } from './service.js';
import { customerWorld, postCustomer, uniqueEmail } from './test-support.js';

// Starting the database and server is slow on a busy machine: let the hook (60 s) pay for it, not the first test (30 s).
beforeAll(async () => {
  await getTestApp();
});

describe('findOrCreateCustomerByEmail', () => {
  it('creates a customer with a primary email once, then finds it by any spelling', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const email = uniqueEmail('New');
    const created = await findOrCreateCustomerByEmail(db, workspace.system, {
      email: `  ${email.toUpperCase()}`,
      name: ' Nia New ',
      language: 'fr-ca',
    });
    expect(created.created).toBe(true);
    const view = await getCustomer(db, workspace.system, created.customerId);
    expect(view).toMatchObject({ name: 'Nia New', language: 'fr-CA', emails: [{ value: email.toLowerCase(), is_primary: true }] });
    const again = await findOrCreateCustomerByEmail(db, workspace.system, { email: email.toLowerCase() });
    expect(again).toEqual({ customerId: created.customerId, created: false });
  });

  it('falls back to the default language for a bad tag and refuses a bad email', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const made = await findOrCreateCustomerByEmail(db, workspace.system, { email: uniqueEmail(), language: 'not a tag!' });
    expect((await getCustomer(db, workspace.system, made.customerId)).language).toBe('en');
    await expect(findOrCreateCustomerByEmail(db, workspace.system, { email: 'nope' })).rejects.toMatchObject({
      code: 'customer.invalid_email',
    });
  });

  it('follows merges to the surviving customer', async () => {
    const { db } = await getTestContext();
    const { supervisor } = await customerWorld();
    const email = uniqueEmail();
    const target = await postCustomer(supervisor, { name: 'Survivor' });
    const source = await postCustomer(supervisor, { name: 'Merged', emails: [email] });
    await mergeCustomers(db, supervisor.actor, target.id, source.id);
    expect(await findOrCreateCustomerByEmail(db, supervisor.actor, { email })).toEqual({ customerId: target.id, created: false });
  });

  it('ends with one customer when two calls race with the same new email', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const email = uniqueEmail('race');
    const results = await Promise.all([
      findOrCreateCustomerByEmail(db, workspace.system, { email, name: 'One' }),
      findOrCreateCustomerByEmail(db, workspace.system, { email: email.toUpperCase(), name: 'Two' }),
    ]);
    expect(results[0]!.customerId).toBe(results[1]!.customerId);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const customers = await db.selectFrom('customers').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(customers.map((c) => c.id)).toEqual([results[0]!.customerId]);
  });

  it('races across many concurrent calls too', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const emails = [uniqueEmail('a'), uniqueEmail('b')];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => findOrCreateCustomerByEmail(db, workspace.system, { email: emails[i % 2]! })),
    );
    expect(new Set(results.map((r) => r.customerId)).size).toBe(2);
    expect(results.filter((r) => r.created)).toHaveLength(2);
    const count = await db.selectFrom('customers').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(count).toHaveLength(2);
  });

  it("runs inside the caller's transaction and rolls back with it", async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const email = uniqueEmail();
    await expect(
      inTransaction(db, async (tx) => {
        const made = await findOrCreateCustomerByEmail(tx, workspace.system, { email });
        expect(made.created).toBe(true);
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    expect((await findOrCreateCustomerByEmail(db, workspace.system, { email })).created).toBe(true);
  });

  it('needs customer.write and stays in the actor workspace', async () => {
    const { db } = await getTestContext();
    const one = await customerWorld();
    const other = await createWorkspace();
    const email = uniqueEmail();
    const mine = await findOrCreateCustomerByEmail(db, one.agent.actor, { email });
    const theirs = await findOrCreateCustomerByEmail(db, other.system, { email });
    expect(theirs.created).toBe(true);
    expect(theirs.customerId).not.toBe(mine.customerId);
    await expect(
      findOrCreateCustomerByEmail(
        db,
        { kind: 'customer', workspaceId: one.workspace.id, customerId: mine.customerId },
        { email: uniqueEmail() },
      ),
    ).rejects.toMatchObject({
      code: 'customer.not_found',
    });
  });
});

describe('getCustomerSummaries and getCustomer', () => {
  it('returns name, organization, primary email, tags and tier per id in one call, leaving out strangers', async () => {
    const { db } = await getTestContext();
    const { agent } = await customerWorld();
    const other = await customerWorld();
    const e1 = uniqueEmail();
    const a = await postCustomer(agent, { name: 'Alpha', organization: 'Org A', emails: [e1, uniqueEmail()], tags: ['vip'], tier: 'gold' });
    const b = await postCustomer(agent, { name: 'Beta', phones: ['+1 555 222 3333'] });
    const stranger = await postCustomer(other.agent, { name: 'Stranger' });
    const map = await getCustomerSummaries(db, agent.actor, [a.id, b.id, stranger.id, 'not-a-uuid']);
    expect([...map.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(map.get(a.id)).toEqual({ id: a.id, name: 'Alpha', primary_email: e1, organization: 'Org A', tags: ['vip'], tier: 'gold' });
    expect(map.get(b.id)).toEqual({ id: b.id, name: 'Beta', primary_email: null, organization: '', tags: [], tier: null });
    expect((await getCustomerSummaries(db, agent.actor, [])).size).toBe(0);
    await expect(getCustomer(db, agent.actor, stranger.id)).rejects.toMatchObject({ code: 'customer.not_found' });
    await expect(getCustomer(db, agent.actor, 'garbage')).rejects.toMatchObject({ code: 'customer.not_found' });
  });
});
