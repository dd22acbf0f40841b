import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/actor.js';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { seedCase, seedCustomer, seedMessage } from '../search/test-support.js';
import { listCases, SEARCH_WINDOW, type CaseSort, type ListCasesOptions } from './listing.js';

// A text search looks at the first cases of the sort order before asking the GIN indexes for every
// match (listing.ts, searchWindow). These tests walk the same searches with windows of every size,
// including none, and expect the very same pages and counts.

let actor: Actor;

beforeAll(async () => {
  await getTestApp();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace);
  actor = agent.actor;
  const customer = await seedCustomer(workspace.id, { name: 'Robin Window' });
  // 24 cases, one a minute; every third matches "refund" in a message, every fifth in the subject,
  // every seventh has "refund" only in an internal note; statuses alternate open/pending.
  for (let i = 0; i < 24; i++) {
    const minute = String(i).padStart(2, '0');
    const created = await seedCase(workspace.id, customer.id, {
      subject: i % 5 === 0 ? `Refund for order ${i}` : `Question ${i}`,
      status: i % 2 === 0 ? 'open' : 'pending',
      createdAt: `2026-03-01T10:${minute}:00Z`,
    });
    await seedMessage(workspace.id, created.id, i % 3 === 0 ? `Please refund invoice ${i}` : `Hello about invoice ${i}`);
    if (i % 7 === 0)
      await seedMessage(workspace.id, created.id, 'Finance approved the refund', { visibility: 'internal', authorAgentId: agent.id });
  }
});

async function walk(options: ListCasesOptions): Promise<{ numbers: number[]; total: number | undefined }> {
  const { db } = await getTestContext();
  const numbers: number[] = [];
  let cursor: string | undefined;
  let total: number | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await listCases(db, actor, { ...options, cursor });
    if (pages === 0) total = page.total_estimate;
    numbers.push(...page.data.map((c) => c.number));
    if (!page.next_cursor) return { numbers, total };
    cursor = page.next_cursor;
  }
  throw new Error('too many pages');
}

/** Cases passing the filters other than q (24 in all, half of them open). */
const candidates = (filters: ListCasesOptions['filters']) => (filters?.status ? 12 : 24);

describe('text search windows', () => {
  const sorts: CaseSort[] = ['updated_desc', 'created_asc', 'number_desc', 'priority_desc'];
  const searches: ListCasesOptions['filters'][] = [
    { q: 'refund' },
    { q: 'refund', status: ['open'] },
    { q: 'refund invoice' },
    { q: 'finance' },
    { q: 'order -refund' },
    { q: 'nothingmatches' },
  ];

  it('gives the same pages and counts whatever the window size', async () => {
    for (const sort of sorts) {
      for (const filters of searches) {
        for (const limit of [2, 25]) {
          const expected = await walk({ filters, sort, limit, searchWindow: 0 });
          for (const searchWindow of [1, 5, 11, 30]) {
            const got = await walk({ filters, sort, limit, searchWindow });
            expect(got.numbers, `${sort} ${JSON.stringify(filters)} limit ${limit} window ${searchWindow}`).toEqual(expected.numbers);
            const label = `${sort} ${JSON.stringify(filters)} limit ${limit} window ${searchWindow}: total`;
            if (searchWindow >= candidates(filters)) expect(got.total, label).toBe(expected.total);
            else {
              // Counted within the window only: a lower bound, never below what the first page shows.
              expect(got.total, label).toBeLessThanOrEqual(expected.total!);
              expect(got.total, label).toBeGreaterThanOrEqual(Math.min(expected.total!, limit));
            }
          }
        }
      }
    }
  });

  it('finds what the union finds: subjects, public messages and internal notes', async () => {
    const { numbers } = await walk({ filters: { q: 'refund' }, sort: 'number_desc', limit: 100 });
    const expected = Array.from({ length: 24 }, (_, i) => i)
      .filter((i) => i % 5 === 0 || i % 3 === 0 || i % 7 === 0)
      .map((i) => 1001 + i)
      .reverse();
    expect(numbers).toEqual(expected);
  });

  it('uses a window large enough for a desk', () => {
    expect(SEARCH_WINDOW).toBeGreaterThanOrEqual(500);
  });
});
