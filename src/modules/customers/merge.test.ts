import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { customerWorld, insertCase, postCustomer, uniqueEmail, errorOf, type PageBody } from './test-support.js';
import type { CustomerMergeView, CustomerView } from './view.js';

// Starting the database and server is slow on a busy machine: let the hook (60 s) pay for it, not the first test (30 s).
beforeAll(async () => {
  await getTestApp();
});

async function caseOwners(ids: string[]): Promise<Record<string, string>> {
  const { db } = await getTestContext();
  const rows = await db.selectFrom('cases').select(['id', 'customer_id', 'version']).where('id', 'in', ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.customer_id]));
}

const withoutVersion = (v: CustomerView) => ({ ...v, version: undefined, updated_at: undefined });

/** A target and a source customer with identities, tags and cases, and the merge of the source into the target. */
async function mergedPair() {
  const { app, workspace, supervisor } = await customerWorld();
  const [tEmail, sEmail1, sEmail2] = [uniqueEmail('t'), uniqueEmail('s1'), uniqueEmail('s2')];
  const target = await postCustomer(supervisor, { name: 'Target', emails: [tEmail], tags: ['vip', 'billing'] });
  const source = await postCustomer(supervisor, {
    name: 'Source',
    emails: [sEmail1, sEmail2],
    phones: ['+33 1 23 45 67 89'],
    tags: ['billing', 'late-payer'],
  });
  const targetCase = await insertCase(workspace.id, target.id, 1001);
  const sourceCases = [await insertCase(workspace.id, source.id, 1002), await insertCase(workspace.id, source.id, 1003)];

  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/customers/${target.id}/merge`,
    headers: supervisor.headers,
    payload: { source_customer_id: source.id },
  });
  expect(res.statusCode, res.body).toBe(201);
  const merge = res.json<CustomerMergeView>();
  return { app, workspace, supervisor, target, source, targetCase, sourceCases, merge, tEmail, sEmail1, sEmail2 };
}

describe('customer merges', () => {
  it('moves identities, cases and tags into the target, recording what moved', async () => {
    const { app, workspace, supervisor, target, source, targetCase, sourceCases, merge, tEmail, sEmail1, sEmail2 } = await mergedPair();
    const sourceIdentityIds = [...source.emails, ...source.phones].map((i) => i.id).sort();
    expect(merge).toMatchObject({
      source_customer_id: source.id,
      target_customer_id: target.id,
      moved: {
        identity_ids: sourceIdentityIds,
        case_ids: [...sourceCases].sort(),
        tags_added: ['late-payer'],
        primary_identity_ids: [source.emails[0]!.id, source.phones[0]!.id].sort(),
      },
      merged_by: supervisor.id,
      undone_at: null,
      undone_by: null,
    });

    const mergedTarget = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    expect(mergedTarget.tags).toEqual(['vip', 'billing', 'late-payer']);
    // The target keeps its primary email; the source's arrive demoted. Its phone is the only one, so stays primary.
    expect(mergedTarget.emails.map((e) => [e.value, e.is_primary])).toEqual([
      [tEmail, true],
      [sEmail1, false],
      [sEmail2, false],
    ]);
    expect(mergedTarget.phones).toEqual([{ id: source.phones[0]!.id, value: '+33123456789', is_primary: true, undeliverable: false }]);
    const mergedSource = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${source.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    expect(mergedSource).toMatchObject({ merged_into_id: target.id, emails: [], phones: [], tags: ['billing', 'late-payer'] });
    expect(await caseOwners([targetCase, ...sourceCases])).toEqual({
      [targetCase]: target.id,
      [sourceCases[0]!]: target.id,
      [sourceCases[1]!]: target.id,
    });

    // A merged customer leaves the list and refuses changes.
    const list = (await app.inject({ method: 'GET', url: '/api/v1/customers', headers: supervisor.headers })).json<{
      data: CustomerView[];
    }>();
    expect(list.data.map((c) => c.id)).toEqual([target.id]);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${source.id}`,
      headers: supervisor.headers,
      payload: { version: mergedSource.version, name: 'x' },
    });
    expect(patch.statusCode).toBe(422);
    expect(errorOf(patch).code).toBe('customer.merged');

    const { db } = await getTestContext();
    const caseEvents = await db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'data'])
      .where('case_id', 'in', sourceCases)
      .orderBy('id')
      .execute();
    expect(caseEvents).toEqual(
      [...sourceCases].sort().map((caseId) => ({
        case_id: caseId,
        type: 'customer_changed',
        data: { from: source.id, to: target.id, reason: 'customer_merge' },
      })),
    );
    const cases = await db.selectFrom('cases').select(['id', 'version']).where('id', 'in', sourceCases).execute();
    expect(cases.every((c) => c.version === 2)).toBe(true);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'actor_id', 'details'])
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'customer.merged',
        target_id: target.id,
        actor_id: supervisor.id,
        details: expect.objectContaining({ merge_id: merge.id, tags_added: ['late-payer'] }) as unknown,
      },
    ]);
    const events = await db
      .selectFrom('domain_events')
      .select(['type', 'aggregate_id'])
      .where('workspace_id', '=', workspace.id)
      .where('type', 'like', 'customer.merge%')
      .execute();
    expect(events).toEqual([{ type: 'customer.merged', aggregate_id: target.id }]);
  });

  it('undo restores exactly what the merge moved; a second undo is 409', async () => {
    const { app, workspace, supervisor, target, source, targetCase, sourceCases, merge } = await mergedPair();
    const { db } = await getTestContext();
    const undo = await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: supervisor.headers });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json<CustomerMergeView>()).toMatchObject({
      id: merge.id,
      undone_by: supervisor.id,
      undone_at: expect.any(String) as unknown,
    });

    const restoredTarget = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    const restoredSource = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${source.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    expect(withoutVersion(restoredTarget)).toEqual(withoutVersion(target));
    expect(withoutVersion(restoredSource)).toEqual(withoutVersion(source));
    expect(restoredSource.merged_into_id).toBeNull();
    expect(await caseOwners([targetCase, ...sourceCases])).toEqual({
      [targetCase]: target.id,
      [sourceCases[0]!]: source.id,
      [sourceCases[1]!]: source.id,
    });
    const undoEvents = await db
      .selectFrom('case_events')
      .select(['case_id', 'data'])
      .where('case_id', 'in', sourceCases)
      .orderBy('id')
      .execute();
    expect(undoEvents.slice(2)).toEqual(
      [...sourceCases]
        .sort()
        .map((caseId) => ({ case_id: caseId, data: { from: target.id, to: source.id, reason: 'customer_merge_undone' } })),
    );
    const allEvents = await db
      .selectFrom('domain_events')
      .select('type')
      .where('workspace_id', '=', workspace.id)
      .where('type', 'like', 'customer.merge%')
      .orderBy('id')
      .execute();
    expect(allEvents.map((e) => e.type)).toEqual(['customer.merged', 'customer.merge_undone']);

    const twice = await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: supervisor.headers });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('customer_merge.already_undone');

    const history = await app.inject({ method: 'GET', url: `/api/v1/customers/${source.id}/merges`, headers: supervisor.headers });
    expect(history.statusCode).toBe(200);
    expect(history.json()).toEqual({
      data: [{ ...merge, undone_by: supervisor.id, undone_at: expect.any(String) as unknown }],
      next_cursor: null,
    });
  });

  it('keeps a tag the target had before and changes made since the merge on undo', async () => {
    const { app, workspace, supervisor } = await customerWorld();
    const target = await postCustomer(supervisor, { name: 'T', tags: ['shared'] });
    const source = await postCustomer(supervisor, { name: 'S', emails: [uniqueEmail()], tags: ['shared', 'new'] });
    const sourceCase = await insertCase(workspace.id, source.id, 2001);
    const merge = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/customers/${target.id}/merge`,
        headers: supervisor.headers,
        payload: { source_customer_id: source.id },
      })
    ).json<CustomerMergeView>();
    expect(merge.moved.tags_added).toEqual(['new']);
    // After the merge an agent adds a phone to the target: it stays with the target on undo.
    const withPhone = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${target.id}/identities`,
      headers: supervisor.headers,
      payload: { kind: 'phone', value: '+1 555 123 4567' },
    });
    expect(withPhone.statusCode).toBe(201);
    await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: supervisor.headers });
    const t = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${target.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    expect(t.tags).toEqual(['shared']);
    expect(t.phones.map((p) => p.value)).toEqual(['+15551234567']);
    expect(t.emails).toEqual([]);
    expect(await caseOwners([sourceCase])).toEqual({ [sourceCase]: source.id });
  });

  it('refuses merging into itself, into a merged customer, or a merged source (422)', async () => {
    const { app, supervisor } = await customerWorld();
    const a = await postCustomer(supervisor, { name: 'A' });
    const b = await postCustomer(supervisor, { name: 'B' });
    const c = await postCustomer(supervisor, { name: 'C' });
    const self = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      headers: supervisor.headers,
      payload: { source_customer_id: a.id },
    });
    expect(self.statusCode).toBe(422);
    expect(errorOf(self).code).toBe('customer_merge.same_customer');
    const ok = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      headers: supervisor.headers,
      payload: { source_customer_id: b.id },
    });
    expect(ok.statusCode).toBe(201);
    const intoMerged = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${b.id}/merge`,
      headers: supervisor.headers,
      payload: { source_customer_id: c.id },
    });
    expect(intoMerged.statusCode).toBe(422);
    expect(errorOf(intoMerged).code).toBe('customer_merge.target_merged');
    const mergedSource = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${c.id}/merge`,
      headers: supervisor.headers,
      payload: { source_customer_id: b.id },
    });
    expect(mergedSource.statusCode).toBe(422);
    expect(errorOf(mergedSource).code).toBe('customer_merge.source_merged');
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      headers: supervisor.headers,
      payload: { source_customer_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses an undo while the target is itself merged (undo the later merge first)', async () => {
    const { app, supervisor } = await customerWorld();
    const a = await postCustomer(supervisor, { name: 'A', emails: [uniqueEmail('a')] });
    const b = await postCustomer(supervisor, { name: 'B', emails: [uniqueEmail('b')] });
    const c = await postCustomer(supervisor, { name: 'C' });
    const first = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/customers/${b.id}/merge`,
        headers: supervisor.headers,
        payload: { source_customer_id: a.id },
      })
    ).json<CustomerMergeView>();
    const second = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/customers/${c.id}/merge`,
        headers: supervisor.headers,
        payload: { source_customer_id: b.id },
      })
    ).json<CustomerMergeView>();
    const blocked = await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${first.id}/undo`, headers: supervisor.headers });
    expect(blocked.statusCode).toBe(409);
    expect(errorOf(blocked).code).toBe('customer_merge.target_merged');
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${second.id}/undo`, headers: supervisor.headers })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${first.id}/undo`, headers: supervisor.headers })).statusCode,
    ).toBe(200);
    const restoredA = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${a.id}`, headers: supervisor.headers })
    ).json<CustomerView>();
    expect(withoutVersion(restoredA)).toEqual(withoutVersion(a));
  });

  it('lets only supervisors and admins merge and undo (agent: 403)', async () => {
    const { app, agent, supervisor, workspace } = await customerWorld();
    const a = await postCustomer(agent, { name: 'A' });
    const b = await postCustomer(agent, { name: 'B' });
    const denied = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      headers: agent.headers,
      payload: { source_customer_id: b.id },
    });
    expect(denied.statusCode).toBe(403);
    expect(errorOf(denied).code).toBe('auth.forbidden');
    const viaToken = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.id}/merge`,
      headers: agent.tokenHeaders,
      payload: { source_customer_id: b.id },
    });
    expect(viaToken.statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${b.id}`, headers: agent.headers })).json<CustomerView>().merged_into_id,
    ).toBeNull();

    const merge = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/customers/${a.id}/merge`,
        headers: supervisor.headers,
        payload: { source_customer_id: b.id },
      })
    ).json<CustomerMergeView>();
    const undoDenied = await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: agent.headers });
    expect(undoDenied.statusCode).toBe(403);
    // Agents may read the merge history.
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${a.id}/merges`, headers: agent.headers })).json<PageBody<CustomerView>>()
        .data,
    ).toHaveLength(1);

    const admin = await createAgent(workspace, { role: 'admin' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: admin.headers })).statusCode).toBe(
      200,
    );
  });

  it('answers 404 for a merge of another workspace', async () => {
    const one = await customerWorld();
    const two = await customerWorld();
    const a = await postCustomer(one.supervisor, { name: 'A' });
    const b = await postCustomer(one.supervisor, { name: 'B' });
    const merge = (
      await one.app.inject({
        method: 'POST',
        url: `/api/v1/customers/${a.id}/merge`,
        headers: one.supervisor.headers,
        payload: { source_customer_id: b.id },
      })
    ).json<CustomerMergeView>();
    const res = await two.app.inject({ method: 'POST', url: `/api/v1/customer-merges/${merge.id}/undo`, headers: two.supervisor.headers });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('customer_merge.not_found');
  });

  it('replays a merge sent twice with the same Idempotency-Key', async () => {
    const { app, supervisor } = await customerWorld();
    const a = await postCustomer(supervisor, { name: 'A' });
    const b = await postCustomer(supervisor, { name: 'B' });
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/customers/${a.id}/merge`,
        headers: { ...supervisor.headers, 'idempotency-key': 'merge-1' },
        payload: { source_customer_id: b.id },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
  });
});
