import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { searchCases, type CaseSearchHit } from '../cases/listing.js';
import type { CaseStatus } from '../cases/schema.js';
import { searchCustomers, type CustomerSearchHit } from '../customers/search.js';

export type SearchScope = 'all' | 'cases' | 'customers';

export interface SearchResults {
  cases: CaseSearchHit[];
  customers: CustomerSearchHit[];
}

/**
 * The agent's global search box: cases (subject and messages, with a snippet) and customers
 * (names, organizations, addresses), each through its own module, so each keeps its own
 * authorization and workspace scope.
 */
export async function searchEverything(
  db: Db,
  actor: Actor,
  input: { q: string; scope: SearchScope; status?: CaseStatus[] | undefined; limit: number },
): Promise<SearchResults> {
  const wantCases = input.scope !== 'customers';
  const wantCustomers = input.scope !== 'cases';
  // Sequential on purpose: the embedded database has one connection anyway.
  const cases = wantCases
    ? await searchCases(db, actor, { q: input.q, limit: input.limit, ...(input.status ? { status: input.status } : {}) })
    : [];
  const customers = wantCustomers ? await searchCustomers(db, actor, input.q, input.limit) : [];
  return { cases, customers };
}
