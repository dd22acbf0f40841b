import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { plainSnippet } from '../cases/listing.js';
import { searchCustomers } from '../customers/search.js';
import { seedCase, seedCustomer, seedMessage } from './test-support.js';

interface Results {
  cases: { number: number; snippet: string; subject: string; customer: { id: string } }[];
  customers: { id: string; name: string; organization: string; primary_email: string | null }[];
}

async function search(agent: TestAgent, query: string) {
  const app = await getTestApp();
  return app.inject({ method: 'GET', url: `/api/v1/search?${query}`, headers: agent.headers });
}

async function results(agent: TestAgent, query: string): Promise<Results> {
  const res = await search(agent, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Results>();
}

const q = (text: string) => `q=${encodeURIComponent(text)}`;
const TAG = /<\/?[a-z!][^>]*>/i;

describe('GET /search', () => {
  let ws: TestWorkspace;
  let me: TestAgent;
  let outsider: TestAgent;
  const customers: Record<string, { id: string }> = {};

  beforeAll(async () => {
    ws = await createWorkspace();
    me = await createAgent(ws);
    customers.anna = await seedCustomer(ws.id, {
      name: 'Anna Schmidt',
      organization: 'Müller GmbH',
      emails: ['anna@muller.example', 'a.schmidt@private.example'],
    });
    customers.annabel = await seedCustomer(ws.id, { name: 'Annabel Lee', emails: ['lee@poems.example'] });
    customers.bob = await seedCustomer(ws.id, { name: 'Bob Anderson', emails: ['anna.bob@example.test'], phones: ['+4915112345678'] });
    customers.dmitri = await seedCustomer(ws.id, { name: 'Дмитрий Иванов', emails: ['dmitri@example.ru'] });
    const target = await seedCustomer(ws.id, { name: 'Merged Target', emails: ['target@example.test'] });
    customers.merged = await seedCustomer(ws.id, { name: 'Anna Merged', emails: ['merged@example.test'], mergedIntoId: target.id });

    const c1 = await seedCase(ws.id, customers.anna.id, { number: 101, subject: 'Frage zur Rechnung', status: 'open' });
    await seedMessage(ws.id, c1.id, 'Guten Tag, ich warte seit drei Wochen auf meine Rückerstattung. Bitte prüfen Sie das.', {
      customerId: customers.anna.id,
    });
    await seedMessage(ws.id, c1.id, 'Unrelated earlier message about shipping', { customerId: customers.anna.id });
    await seedCase(ws.id, customers.bob.id, { number: 102, subject: 'Refund for order 5521', status: 'solved' });
    const c3 = await seedCase(ws.id, customers.bob.id, { number: 103, subject: 'Strange characters', status: 'open' });
    await seedMessage(
      ws.id,
      c3.id,
      '<b>Hello</b> <img src=x onerror=alert(1)> <script>alert("x")</script> I need a refund for the <a href="http://evil.example">gift card</a>',
      {
        customerId: customers.bob.id,
      },
    );

    const otherWs = await createWorkspace();
    outsider = await createAgent(otherWs);
    const foreign = await seedCustomer(otherWs.id, { name: 'Anna Foreign', emails: ['anna@foreign.example'] });
    const fc = await seedCase(otherWs.id, foreign.id, { number: 101, subject: 'Refund please', status: 'open' });
    await seedMessage(otherWs.id, fc.id, 'Rückerstattung', { customerId: foreign.id });
  });

  it('finds cases by message body with a plain-text snippet around the match', async () => {
    const found = await results(me, q('rückerstattung'));
    expect(found.cases.map((c) => c.number)).toEqual([101]);
    const snippet = found.cases[0]!.snippet;
    expect(snippet).toContain('«Rückerstattung»');
    expect(snippet).not.toMatch(TAG);
    expect(snippet).not.toContain('shipping');
    expect(found.customers).toEqual([]);
  });

  it('uses the subject for the snippet when only the subject matches', async () => {
    const found = await results(me, `${q('order')}&type=cases`);
    expect(found.cases.map((c) => c.number)).toEqual([102]);
    expect(found.cases[0]!.snippet).toBe('Refund for «order» 5521');
  });

  it('never returns HTML in a snippet, whatever the message holds', async () => {
    const found = await results(me, `${q('refund gift')}&type=cases`);
    expect(found.cases.map((c) => c.number)).toEqual([103]);
    const snippet = found.cases[0]!.snippet;
    expect(snippet).toContain('«refund»');
    expect(snippet).not.toMatch(TAG);
    expect(snippet).not.toContain('onerror');
    expect(plainSnippet('a <img src=x onerror=alert(1)> b <B>c</B> 1 < 2')).toBe('a b c 1 < 2');
  });

  it('filters cases by status', async () => {
    expect((await results(me, `${q('refund')}&type=cases`)).cases.map((c) => c.number).sort()).toEqual([102, 103]);
    expect((await results(me, `${q('refund')}&type=cases&status=open,pending`)).cases.map((c) => c.number)).toEqual([103]);
  });

  it('finds customers by name and organization prefixes, in any script, without duplicates', async () => {
    const anna = await results(me, `${q('anna')}&type=customers`);
    const ids = anna.customers.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([customers.anna!.id, customers.annabel!.id, customers.bob!.id]));
    expect(ids).not.toContain(customers.merged!.id);
    expect(anna.cases).toEqual([]);
    expect(anna.customers.find((c) => c.id === customers.anna!.id)).toEqual({
      id: customers.anna!.id,
      name: 'Anna Schmidt',
      organization: 'Müller GmbH',
      primary_email: 'anna@muller.example',
    });
    expect((await results(me, `${q('müll')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.anna!.id]);
    expect((await results(me, `${q('anna schm')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.anna!.id]);
    expect((await results(me, `${q('дми')}&type=customers`)).customers.map((c) => c.name)).toEqual(['Дмитрий Иванов']);
  });

  it('finds customers by email and phone prefixes, an exact address first', async () => {
    expect((await results(me, `${q('a.schmidt@priv')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.anna!.id]);
    expect((await results(me, `${q('LEE@POEMS')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.annabel!.id]);
    expect((await results(me, `${q('+49 151 123')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.bob!.id]);
    expect((await results(me, `${q('4915112345678')}&type=customers`)).customers.map((c) => c.id)).toEqual([customers.bob!.id]);
    const exact = await results(me, `${q('anna.bob@example.test')}&type=customers`);
    expect(exact.customers[0]!.id).toBe(customers.bob!.id);
    // LIKE wildcards in the input are literal characters.
    expect((await results(me, `${q('%@%')}&type=customers`)).customers).toEqual([]);
    expect((await results(me, `${q('_nna@')}&type=customers`)).customers).toEqual([]);
  });

  it('searches both by default and never shows another workspace', async () => {
    const both = await results(me, q('anna'));
    expect(both.customers.length).toBeGreaterThan(0);
    const mine = await results(me, q('rückerstattung'));
    expect(mine.cases.every((c) => c.customer.id === customers.anna!.id)).toBe(true);
    const theirs = await results(outsider, q('anna'));
    expect(theirs.customers.map((c) => c.name)).toEqual(['Anna Foreign']);
    expect((await results(outsider, q('rückerstattung'))).cases).toHaveLength(1);
    const { db } = await getTestContext();
    expect((await searchCustomers(db, outsider.actor, 'schmidt', 10)).length).toBe(0);
  });

  it('validates the query', async () => {
    const bad: [string, string][] = [
      ['', 'q'],
      ['q=', 'q'],
      [q('x'.repeat(201)), 'q'],
      [`${q('   ')}`, 'q'],
      [`${q('anna')}&type=everything`, 'type'],
      [`${q('anna')}&status=bogus`, 'status'],
      [`${q('anna')}&limit=0`, 'limit'],
      [`${q('anna')}&limit=51`, 'limit'],
      [`${q('anna')}&sort=updated_desc`, 'sort'],
    ];
    for (const [query, field] of bad) {
      const res = await search(me, query);
      expect(res.statusCode, query).toBe(400);
      expect(
        res.json<{ error: { details: { fields: { field: string }[] } } }>().error.details.fields.map((f) => f.field),
        query,
      ).toContain(field);
    }
    const app = await getTestApp();
    expect((await app.inject({ method: 'GET', url: '/api/v1/search?q=anna' })).statusCode).toBe(401);
  });

  it('honours the limit', async () => {
    const limited = await results(me, `${q('anna')}&type=customers&limit=1`);
    expect(limited.customers).toHaveLength(1);
  });
});
