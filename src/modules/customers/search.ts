import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { validationError } from '../../platform/errors.js';

export interface CustomerSearchHit {
  id: string;
  name: string;
  organization: string;
  primary_email: string | null;
}

export const MAX_CUSTOMER_SEARCH = 50;
const MAX_WORDS = 8;

/** Letters, digits and combining marks of any script: the words 'simple' text search indexes. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Typeahead search over customers: every word of `q` as a prefix of a word of the name or
 * organization (full text, any language), and `q` as a prefix of an email address or phone
 * number. An exact address ranks first, then address prefixes, then names by text rank.
 * Merged-away customers are left out: their identities and cases live on the target.
 */
export async function searchCustomers(db: Db, actor: Actor, q: string, limit = 10): Promise<CustomerSearchHit[]> {
  authorize(actor, 'customer.read');
  const text = q.trim();
  if (text.length === 0 || text.length > 200)
    throw validationError('customer.invalid_search', 'The search must be 1-200 characters', { field: 'q' });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CUSTOMER_SEARCH) {
    throw validationError('pagination.invalid_limit', `limit must be 1-${MAX_CUSTOMER_SEARCH}`, { field: 'limit' });
  }
  const ws = actor.workspaceId;
  const branches: RawBuilder<unknown>[] = [];

  // Words only contain letters, digits and marks, so quoting them as lexemes needs no escaping.
  const words = (text.match(WORD) ?? []).slice(0, MAX_WORDS);
  if (words.length > 0) {
    const query = words.map((w) => `'${w}':*`).join(' & ');
    branches.push(sql`
      select c.id as customer_id, 1 + ts_rank(c.search_vector, to_tsquery('simple', ${query})) as score
      from customers c
      where c.workspace_id = ${ws} and c.search_vector @@ to_tsquery('simple', ${query})`);
  }

  for (const prefix of identityPrefixes(text)) {
    branches.push(sql`
      select i.customer_id, case when i.value = ${prefix} then 10 else 5 end as score
      from customer_identities i
      where i.workspace_id = ${ws} and i.value like ${escapeLike(prefix) + '%'}`);
  }
  if (branches.length === 0) return [];

  const result = await sql<CustomerSearchHit>`
    with hits as (${sql.join(branches, sql` union all `)})
    select c.id, c.name, c.organization,
      (select i.value from customer_identities i
        where i.customer_id = c.id and i.kind = 'email'
        order by i.is_primary desc, i.created_at, i.id limit 1) as primary_email
    from (select customer_id, max(score) as score from hits group by customer_id) best
    join customers c on c.id = best.customer_id
    where c.workspace_id = ${ws} and c.merged_into_id is null
    order by best.score desc, c.name, c.id
    limit ${limit}`.execute(db);
  return result.rows;
}

/** How identities are stored (emails lower-cased, phones as + and digits), from what was typed. */
function identityPrefixes(text: string): string[] {
  if (/^\+?[\d\s().-]+$/.test(text)) {
    const digits = text.replace(/\D/g, '');
    return digits.length >= 3 ? [`+${digits}`] : [];
  }
  // Addresses hold no spaces; a phrase is a name search only.
  return /\s/.test(text) || text.length < 2 ? [] : [text.toLowerCase()];
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
