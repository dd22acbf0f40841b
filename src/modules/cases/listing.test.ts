import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../http/pagination.js';
import { createAgent, createTeam, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { seedCase, seedCustomer, seedMessage } from '../search/test-support.js';
import { listCases, countCases } from './listing.js';

interface Row {
  id: string;
  number: number;
  customer: { id: string; name: string; primary_email: string | null };
  assignee: { id: string; name: string } | null;
  [key: string]: unknown;
}
interface Page {
  data: Row[];
  next_cursor: string | null;
  total_estimate?: number;
}

async function get(agent: TestAgent, query: string) {
  const app = await getTestApp();
  return app.inject({ method: 'GET', url: `/api/v1/cases${query ? `?${query}` : ''}`, headers: agent.headers });
}

async function numbers(agent: TestAgent, query: string): Promise<number[]> {
  const res = await get(agent, `${query}${query ? '&' : ''}sort=number_desc&limit=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json<Page>()
    .data.map((r) => r.number)
    .sort((a, b) => a - b);
}

describe('GET /cases filters', () => {
  let ws: TestWorkspace;
  let me: TestAgent;
  let other: TestAgent;
  let teamA: { id: string; queues: { id: string }[] };
  let teamB: { id: string };
  let alice: { id: string };
  let bob: { id: string };
  let outsider: TestAgent;
  let outsiderCustomer: { id: string };

  beforeAll(async () => {
    ws = await createWorkspace();
    me = await createAgent(ws, { name: 'Mia Me' });
    other = await createAgent(ws, { name: 'Otto Other' });
    teamA = await createTeam(ws, { memberIds: [me.id], queues: [{ name: 'Invoices' }] });
    teamB = await createTeam(ws);
    alice = await seedCustomer(ws.id, { name: 'Alice Archer', emails: ['alice@example.test', 'alice.alt@example.test'] });
    bob = await seedCustomer(ws.id, { name: 'Bob Baker', emails: ['bob@example.test'], phones: ['+4915112345678'] });
    const qA = teamA.queues[0]!.id;
    const c1001 = await seedCase(ws.id, alice.id, {
      number: 1001,
      subject: 'Double charge on invoice',
      status: 'open',
      priority: 'high',
      category: 'billing',
      channel: 'email',
      tags: ['vip', 'invoice'],
      assigneeId: me.id,
      teamId: teamA.id,
      queueId: qA,
      createdAt: '2025-01-01T10:00:00Z',
      updatedAt: '2025-01-10T10:00:00Z',
    });
    const c1002 = await seedCase(ws.id, bob.id, {
      number: 1002,
      subject: 'Refund not received',
      status: 'pending',
      priority: 'urgent',
      category: 'refund',
      channel: 'web',
      tags: ['refund'],
      assigneeId: other.id,
      teamId: teamA.id,
      createdAt: '2025-01-02T10:00:00Z',
      updatedAt: '2025-01-09T10:00:00Z',
    });
    const c1003 = await seedCase(ws.id, alice.id, {
      number: 1003,
      subject: 'Cannot log in',
      status: 'new',
      priority: 'normal',
      category: 'technical',
      channel: 'chat',
      teamId: teamB.id,
      createdAt: '2025-01-03T10:00:00Z',
      updatedAt: '2025-01-08T10:00:00Z',
    });
    const c1004 = await seedCase(ws.id, bob.id, {
      number: 1004,
      subject: 'Chargeback dispute',
      status: 'on_hold',
      priority: 'low',
      category: 'dispute',
      channel: 'phone',
      tags: ['vip'],
      assigneeId: me.id,
      teamId: teamB.id,
      createdAt: '2025-01-04T10:00:00Z',
      updatedAt: '2025-01-07T10:00:00Z',
    });
    await seedCase(ws.id, alice.id, {
      number: 1005,
      subject: 'Thanks!',
      status: 'solved',
      priority: 'normal',
      category: 'general',
      channel: 'email',
      assigneeId: me.id,
      teamId: teamA.id,
      createdAt: '2025-01-05T10:00:00Z',
      updatedAt: '2025-01-06T10:00:00Z',
      solvedAt: '2025-01-06T10:00:00Z',
    });
    const c1006 = await seedCase(ws.id, bob.id, {
      number: 1006,
      subject: 'Old closed case',
      status: 'closed',
      priority: 'low',
      category: 'payment',
      channel: 'letter',
      tags: ['invoice'],
      createdAt: '2025-01-06T10:00:00Z',
      updatedAt: '2025-01-06T09:00:00Z',
    });
    await seedMessage(ws.id, c1001.id, 'Customer is a VIP, escalate to finance', { visibility: 'internal', authorAgentId: me.id });
    await seedMessage(ws.id, c1002.id, 'Ich warte seit Wochen auf meine Rückerstattung.', { customerId: bob.id });
    await seedMessage(ws.id, c1003.id, 'Не могу войти в систему', { customerId: alice.id });
    await seedMessage(ws.id, c1004.id, 'Ζητώ επιστροφή χρημάτων', { customerId: bob.id });
    await seedMessage(ws.id, c1006.id, '返金 お願いします', { customerId: bob.id });

    // Another workspace holding the same words and numbers: it must never show.
    const otherWs = await createWorkspace();
    outsider = await createAgent(otherWs);
    outsiderCustomer = await seedCustomer(otherWs.id, { name: 'Alice Archer', emails: ['alice@example.test'] });
    const foreign = await seedCase(otherWs.id, outsiderCustomer.id, {
      number: 1001,
      subject: 'Double charge on invoice',
      status: 'open',
      tags: ['vip'],
    });
    await seedMessage(otherWs.id, foreign.id, 'Rückerstattung bitte', { customerId: outsiderCustomer.id });
  });

  it('lists the workspace cases newest update first, with customer and assignee', async () => {
    const res = await get(me, '');
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.data.map((r) => r.number)).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
    expect(page.next_cursor).toBeNull();
    expect(page.total_estimate).toBe(6);
    const first = page.data[0]!;
    expect(first).toMatchObject({
      number: 1001,
      subject: 'Double charge on invoice',
      status: 'open',
      priority: 'high',
      category: 'billing',
      channel: 'email',
      tags: ['vip', 'invoice'],
      customer: { id: alice.id, name: 'Alice Archer', primary_email: 'alice@example.test' },
      assignee: { id: me.id, name: 'Mia Me' },
      team_id: teamA.id,
      queue_id: teamA.queues[0]!.id,
      created_at: '2025-01-01T10:00:00.000Z',
      updated_at: '2025-01-10T10:00:00.000Z',
      version: 1,
    });
    expect(page.data.find((r) => r.number === 1003)!.assignee).toBeNull();
  });

  it('works with a bearer token too, and refuses anonymous callers', async () => {
    const app = await getTestApp();
    const withToken = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: me.tokenHeaders });
    expect(withToken.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
  });

  it('filters by status, priority and category lists', async () => {
    expect(await numbers(me, 'status=open,pending')).toEqual([1001, 1002]);
    expect(await numbers(me, 'status=closed')).toEqual([1006]);
    expect(await numbers(me, 'priority=urgent,high')).toEqual([1001, 1002]);
    expect(await numbers(me, 'category=refund,dispute')).toEqual([1002, 1004]);
  });

  it('filters by channel, team, queue and customer', async () => {
    expect(await numbers(me, 'channel=chat')).toEqual([1003]);
    expect(await numbers(me, `team_id=${teamA.id}`)).toEqual([1001, 1002, 1005]);
    expect(await numbers(me, `queue_id=${teamA.queues[0]!.id}`)).toEqual([1001]);
    expect(await numbers(me, `customer_id=${bob.id}`)).toEqual([1002, 1004, 1006]);
  });

  it('filters by assignee: me, none or an agent id', async () => {
    expect(await numbers(me, 'assignee_id=me')).toEqual([1001, 1004, 1005]);
    expect(await numbers(other, 'assignee_id=me')).toEqual([1002]);
    expect(await numbers(me, 'assignee_id=none')).toEqual([1003, 1006]);
    expect(await numbers(me, `assignee_id=${other.id}`)).toEqual([1002]);
  });

  it('filters by tags: cases carrying all of them', async () => {
    expect(await numbers(me, 'tags=vip')).toEqual([1001, 1004]);
    expect(await numbers(me, 'tags=vip,invoice')).toEqual([1001]);
    expect(await numbers(me, 'tags=vip,refund')).toEqual([]);
  });

  it('filters by created and updated time ranges', async () => {
    expect(await numbers(me, 'created_after=2025-01-04T10:00:00Z')).toEqual([1004, 1005, 1006]);
    expect(await numbers(me, 'created_before=2025-01-03T10:00:00Z')).toEqual([1001, 1002]);
    expect(await numbers(me, 'updated_after=2025-01-09T00:00:00%2B00:00')).toEqual([1001, 1002]);
    expect(await numbers(me, 'updated_before=2025-01-06T10:00:00Z')).toEqual([1006]);
    expect(await numbers(me, 'created_after=2025-01-02T00:00:00Z&created_before=2025-01-04T00:00:00Z')).toEqual([1002, 1003]);
  });

  it('combines filters with AND', async () => {
    expect(await numbers(me, `status=new,open,pending&team_id=${teamA.id}`)).toEqual([1001, 1002]);
    expect(await numbers(me, 'assignee_id=me&tags=vip&priority=low')).toEqual([1004]);
    expect(await numbers(me, 'q=charge&status=closed')).toEqual([]);
  });

  it('searches the subject and every message body, in any language', async () => {
    expect(await numbers(me, 'q=charge')).toEqual([1001]);
    expect(await numbers(me, 'q=%22double%20charge%22')).toEqual([1001]);
    expect(await numbers(me, 'q=escalate%20finance')).toEqual([1001]); // an internal note
    expect(await numbers(me, `q=${encodeURIComponent('rückerstattung')}`)).toEqual([1002]);
    expect(await numbers(me, `q=${encodeURIComponent('RÜCKERSTATTUNG')}`)).toEqual([1002]);
    expect(await numbers(me, `q=${encodeURIComponent('войти')}`)).toEqual([1003]);
    expect(await numbers(me, `q=${encodeURIComponent('επιστροφή')}`)).toEqual([1004]);
    expect(await numbers(me, `q=${encodeURIComponent('返金')}`)).toEqual([1006]);
    expect(await numbers(me, 'q=refund%20-received')).toEqual([]);
    expect(await numbers(me, 'q=refund%20or%20chargeback')).toEqual([1002, 1004]);
    expect(await numbers(me, 'q=nothingmatchesthis')).toEqual([]);
    expect(await numbers(me, `q=${encodeURIComponent('!!! &&')}`)).toEqual([]);
  });

  it("never shows another workspace's cases", async () => {
    expect(await numbers(outsider, '')).toEqual([1001]);
    expect(await numbers(outsider, 'q=charge')).toEqual([1001]);
    expect(await numbers(me, `customer_id=${outsiderCustomer.id}`)).toEqual([]);
    const mine = (await get(me, 'q=charge')).json<Page>();
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]!.customer.id).toBe(alice.id);
    const theirs = (await get(outsider, '')).json<Page>();
    expect(theirs.data[0]!.customer.id).toBe(outsiderCustomer.id);
  });

  it('refuses unknown parameters and bad values with 400', async () => {
    const cases: [string, string][] = [
      ['colour=red', 'colour'],
      ['status=open,bogus', 'status'],
      ['status=', 'status'],
      ['priority=critical', 'priority'],
      ['category=billing,,refund', 'category'],
      ['channel=fax', 'channel'],
      ['team_id=not-a-uuid', 'team_id'],
      ['queue_id=123', 'queue_id'],
      ['customer_id=x', 'customer_id'],
      ['assignee_id=someone', 'assignee_id'],
      ['created_after=2025-01-01', 'created_after'],
      ['updated_before=yesterday', 'updated_before'],
      ['sort=random', 'sort'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['q=', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['q=%20%20', 'q'],
      [`tags=${'t'.repeat(51)}`, 'tags'],
    ];
    for (const [query, field] of cases) {
      const res = await get(me, query);
      expect(res.statusCode, query).toBe(400);
      const body = res.json<{ error: { code: string; details: { fields: { field: string }[] } } }>();
      expect(body.error.code, query).toBe('validation_failed');
      expect(
        body.error.details.fields.map((f) => f.field),
        query,
      ).toContain(field);
    }
  });

  it('works as a service call for other modules, scoped to the actor', async () => {
    const { db } = await getTestContext();
    const page = await listCases(db, me.actor, { filters: { status: ['open'] }, sort: 'number_desc' });
    expect(page.data.map((r) => r.number)).toEqual([1001]);
    expect(await countCases(db, me.actor, [{ status: ['open', 'pending'] }, { assignee_id: 'me' }, {}])).toEqual([2, 3, 6]);
    expect(await countCases(db, outsider.actor, [{}])).toEqual([1]);
  });
});

describe('GET /cases sorting and keyset pagination', () => {
  let me: TestAgent;
  interface Seed {
    id: string;
    number: number;
    priority: 'low' | 'normal' | 'high' | 'urgent';
    created: string;
    updated: string;
  }
  const seeds: Seed[] = [];
  const rank = { low: 0, normal: 1, high: 2, urgent: 3 };

  beforeAll(async () => {
    const ws = await createWorkspace();
    me = await createAgent(ws);
    const customer = await seedCustomer(ws.id, { name: 'Paginated' });
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    for (let i = 0; i < 23; i++) {
      // Ties on purpose (equal timestamps), and neighbours one microsecond apart.
      const updated = `2025-03-01T12:00:00.${String(100000 + Math.floor(i / 3)).padStart(6, '0')}Z`;
      const created = `2025-02-${String(1 + (i % 5)).padStart(2, '0')}T08:00:00.00000${i % 2}Z`;
      const priority = priorities[(i * 7) % 4]!;
      const number = 2000 + ((i * 11) % 23);
      const row = await seedCase(ws.id, customer.id, { number, priority, createdAt: created, updatedAt: updated });
      seeds.push({ id: row.id, number, priority, created, updated });
    }
  });

  const byKey = (keys: ((s: Seed) => string | number)[], dirs: (1 | -1)[]) => (a: Seed, b: Seed) => {
    for (const [i, key] of keys.entries()) {
      const x = key(a);
      const y = key(b);
      if (x < y) return -dirs[i]!;
      if (x > y) return dirs[i]!;
    }
    return 0;
  };
  const expected: Record<string, (a: Seed, b: Seed) => number> = {
    updated_desc: byKey([(s) => s.updated, (s) => s.id], [-1, -1]),
    updated_asc: byKey([(s) => s.updated, (s) => s.id], [1, 1]),
    created_desc: byKey([(s) => s.created, (s) => s.id], [-1, -1]),
    created_asc: byKey([(s) => s.created, (s) => s.id], [1, 1]),
    priority_desc: byKey([(s) => rank[s.priority], (s) => s.updated, (s) => s.id], [-1, -1, -1]),
    number_desc: byKey([(s) => s.number], [-1]),
  };

  for (const sort of Object.keys(expected)) {
    it(`pages through ${sort} without missing or repeating a case`, async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(me, `sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<Page>();
        if (pages === 0) expect(page.total_estimate).toBe(23);
        else expect(page.total_estimate).toBeUndefined();
        seen.push(...page.data.map((r) => r.id));
        cursor = page.next_cursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(6);
      expect(seen).toEqual([...seeds].sort(expected[sort]).map((s) => s.id));
    });
  }

  it('keeps filters while paging', async () => {
    const urgent = seeds.filter((s) => s.priority === 'urgent').sort(expected.updated_desc!);
    const first = (await get(me, 'priority=urgent&limit=2')).json<Page>();
    const second = (await get(me, `priority=urgent&limit=10&cursor=${first.next_cursor}`)).json<Page>();
    expect([...first.data, ...second.data].map((r) => r.id)).toEqual(urgent.map((s) => s.id));
  });

  it('refuses a bad cursor with 400 pagination.invalid_cursor', async () => {
    const numberCursor = (await get(me, 'sort=number_desc&limit=1')).json<Page>().next_cursor!;
    const updatedCursor = (await get(me, 'limit=1')).json<Page>().next_cursor!;
    const bad = [
      'not a cursor!',
      'bm9wZQ',
      encodeCursor([1, 2]),
      encodeCursor(['ud', '2025-03-01T12:00:00.100000Z', 'not-a-uuid']),
      encodeCursor(['ud', 'yesterday', '00000000-0000-4000-8000-000000000000']),
      encodeCursor(['ud', "2025-03-01T12:00:00.100000Z'; drop table cases; --", '00000000-0000-4000-8000-000000000000']),
      `sort=number_desc&cursor=${updatedCursor}`,
      `sort=updated_desc&cursor=${numberCursor}`,
      `sort=created_desc&cursor=${updatedCursor}`,
      `sort=priority_desc&cursor=${encodeCursor(['pd', 1.5, '2025-03-01T12:00:00.100000Z', '00000000-0000-4000-8000-000000000000'])}`,
    ];
    for (const item of bad) {
      const query = item.startsWith('sort=') ? item : `cursor=${encodeURIComponent(item)}`;
      const res = await get(me, query);
      expect(res.statusCode, item).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, item).toMatch(/^(pagination\.invalid_cursor|validation_failed)$/);
    }
    const plain = await get(me, `cursor=${encodeURIComponent('not a cursor!')}`);
    expect(plain.json<{ error: { code: string } }>().error.code).toBe('pagination.invalid_cursor');
  });
});
