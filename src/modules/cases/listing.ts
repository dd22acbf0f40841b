import { getAgentsByIds } from '../agents/service.js';
import { getCustomerSummaries } from '../customers/service.js';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { validationError } from '../../platform/errors.js';
import { isUuid, type CaseListFilters, type CaseSort } from './listing-filters.js';
import type { CaseCategory, CasePriority, CaseStatus, Channel } from './schema.js';

export type { CaseListFilters, CaseSort } from './listing-filters.js';

/**
 * The inbox read model: filtered, sorted, keyset-paginated case lists. Every query is scoped
 * by the actor's workspace first, so it runs on the workspace-leading indexes of 0004/0040.
 */

export interface CaseListRow {
  id: string;
  number: number;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  category: CaseCategory;
  channel: Channel;
  tags: string[];
  customer: { id: string; name: string; primary_email: string | null };
  assignee: { id: string; name: string } | null;
  team_id: string | null;
  queue_id: string | null;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date;
  version: number;
}

export interface ListCasesOptions {
  filters?: CaseListFilters;
  sort?: CaseSort;
  limit?: number;
  cursor?: string | undefined;
  /** false: skip total_estimate (a caller that never shows it saves the count). */
  count?: boolean;
  /** Tests only: the size of the text search's first window (SEARCH_WINDOW); 0 skips the window. */
  searchWindow?: number;
}

export interface CaseListPage {
  data: CaseListRow[];
  next_cursor: string | null;
  /**
   * On the first page only: the number of matching cases, counted up to TOTAL_CAP; for a text
   * search over more candidates than SEARCH_WINDOW, the matches among the window (a lower bound).
   */
  total_estimate?: number;
}

export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;
/** Counting stops here: past it the inbox shows "1000+" rather than paying for an exact count. */
export const TOTAL_CAP = 1000;

/** Open work, as the built-in views count it. */
export const OPEN_STATUSES: CaseStatus[] = ['new', 'open', 'pending', 'on_hold'];

// Written out literally (no parameters) so it matches the expression index of 0040.
const PRIORITY_RANK = sql<number>`(case c.priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end)`;

/** A query parameter holding the text search; 'simple' keeps words of every language as written. */
const tsQuery = (q: string) => sql`websearch_to_tsquery('simple', ${q})`;

/** The WHERE conditions of a filter set, on the cases table aliased `c`. */
function caseConditions(actor: Actor, filters: CaseListFilters): RawBuilder<boolean>[] {
  const ws = actor.workspaceId;
  const where: RawBuilder<boolean>[] = [sql`c.workspace_id = ${ws}`];
  // One status as an equality: PostgreSQL 15 walks (workspace_id, status, updated_at) in order
  // for `status = $1`, not for `status = any($1)`, which would read every status and filter.
  if (filters.status?.length === 1) where.push(sql`c.status = ${filters.status[0]}`);
  else if (filters.status) where.push(sql`c.status = any(${filters.status}::text[])`);
  if (filters.priority) where.push(sql`c.priority = any(${filters.priority}::text[])`);
  if (filters.category) where.push(sql`c.category = any(${filters.category}::text[])`);
  if (filters.channel) where.push(sql`c.channel = ${filters.channel}`);
  if (filters.team_id) where.push(sql`c.team_id = ${filters.team_id}`);
  if (filters.queue_id) where.push(sql`c.queue_id = ${filters.queue_id}`);
  if (filters.customer_id) where.push(sql`c.customer_id = ${filters.customer_id}`);
  if (filters.assignee_id === 'none') where.push(sql`c.assignee_id is null`);
  else if (filters.assignee_id === 'me') {
    if (actor.kind !== 'agent') throw validationError('case.assignee_me_needs_agent', "'me' only means something to a signed-in agent");
    where.push(sql`c.assignee_id = ${actor.agentId}`);
  } else if (filters.assignee_id) where.push(sql`c.assignee_id = ${filters.assignee_id}`);
  if (filters.tags && filters.tags.length > 0) where.push(sql`c.tags @> ${filters.tags}::text[]`);
  if (filters.created_after) where.push(sql`c.created_at >= ${filters.created_after}`);
  if (filters.created_before) where.push(sql`c.created_at < ${filters.created_before}`);
  if (filters.updated_after) where.push(sql`c.updated_at >= ${filters.updated_after}`);
  if (filters.updated_before) where.push(sql`c.updated_at < ${filters.updated_before}`);
  if (filters.solved_after) where.push(sql`c.solved_at >= ${filters.solved_after}`);
  if (filters.q) {
    // The subject or any message (public or internal: agents read both). Written as a union of
    // two GIN-indexed lookups rather than OR EXISTS, so a rare word never walks the whole inbox.
    where.push(sql`c.id in (
      select s.id from cases s where s.workspace_id = ${ws} and s.search_vector @@ ${tsQuery(filters.q)}
      union
      select m.case_id from messages m where m.workspace_id = ${ws} and m.search_vector @@ ${tsQuery(filters.q)})`);
  }
  return where;
}

/**
 * The same text match as caseConditions' `q`, tested case by case on rows `c` joined with
 * `textHit(q)`: its subject, then its messages through messages_case. A LATERAL subquery with
 * LIMIT 1 runs once per case; an EXISTS would let the planner hash every matching message of the
 * workspace instead (seconds for a common word at a million cases). The match is written as the
 * function `ts_match_vq` rather than the operator `@@` so the planner cannot put the GIN index in
 * the loop (a BitmapAnd of messages_case and messages_search per case: 0.25 ms a case, 258 ms for
 * a window at 20,000 cases, against 22 ms reading each case's few messages).
 */
const textHit = (q: string) => sql`left join lateral (
    select true as hit from messages m
    where m.case_id = c.id and m.workspace_id = c.workspace_id and ts_match_vq(m.search_vector, ${tsQuery(q)})
    limit 1) text_hit on true`;
const textMatches = (q: string) => sql<boolean>`(c.search_vector @@ ${tsQuery(q)} or text_hit.hit is not null)`;

/**
 * A text search first looks at this many cases at the top of the sort order (after the cursor).
 * A common word (an "invoice" in a billing desk) fills the page from them in a few milliseconds;
 * only when they hold less than a page does the search ask the GIN indexes for every match, which
 * is then cheap because the words are rare. Either way the page is the same.
 */
export const SEARCH_WINDOW = 1000;

const and = (conditions: RawBuilder<boolean>[]) => sql<boolean>`(${sql.join(conditions, sql` and `)})`;

// --- sorting and keyset cursors -------------------------------------------------------------

interface SortPlan {
  /** First cursor element: a cursor of another sort is refused, not misread. */
  tag: string;
  orderBy: RawBuilder<unknown>;
  /** The timestamp column whose exact (microsecond) value the cursor carries. */
  timeColumn: 'updated_at' | 'created_at' | null;
  after(cursor: (string | number | null)[]): RawBuilder<boolean>;
  cursorOf(row: RawCaseRow): (string | number)[];
  shape: ('string' | 'number')[];
}

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function timeSort(tag: string, column: 'updated_at' | 'created_at', dir: 'desc' | 'asc'): SortPlan {
  const col = sql.ref(`c.${column}`);
  const op = sql.raw(dir === 'desc' ? '<' : '>');
  const d = sql.raw(dir);
  return {
    tag,
    orderBy: sql`${col} ${d}, c.id ${d}`,
    timeColumn: column,
    shape: ['string', 'string', 'string'],
    after: ([, at, id]) => sql`(${col}, c.id) ${op} (${at}::timestamptz, ${id}::uuid)`,
    cursorOf: (row) => [tag, row.cursor_at!, row.id],
  };
}

const SORTS: Record<CaseSort, SortPlan> = {
  updated_desc: timeSort('ud', 'updated_at', 'desc'),
  updated_asc: timeSort('ua', 'updated_at', 'asc'),
  created_desc: timeSort('cd', 'created_at', 'desc'),
  created_asc: timeSort('ca', 'created_at', 'asc'),
  priority_desc: {
    tag: 'pd',
    orderBy: sql`${PRIORITY_RANK} desc, c.updated_at desc, c.id desc`,
    timeColumn: 'updated_at',
    shape: ['string', 'number', 'string', 'string'],
    after: ([, rank, at, id]) => sql`(${PRIORITY_RANK}, c.updated_at, c.id) < (${rank}::int, ${at}::timestamptz, ${id}::uuid)`,
    cursorOf: (row) => ['pd', row.priority_rank, row.cursor_at!, row.id],
  },
  number_desc: {
    tag: 'nd',
    orderBy: sql`c.number desc`,
    timeColumn: null,
    shape: ['string', 'number'],
    after: ([, number]) => sql`c.number < ${number}::int`,
    cursorOf: (row) => ['nd', row.number],
  },
};

/** Decodes a cursor of this sort, checking every part: a bad one is a 400, never a 500 or a silent first page. */
function readCursor(sort: CaseSort, raw: string | undefined): (string | number | null)[] | undefined {
  const plan = SORTS[sort];
  const values = decodeCursor(raw, plan.shape);
  if (!values) return undefined;
  const invalid = () =>
    validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', { field: 'cursor' });
  if (values[0] !== plan.tag) throw invalid();
  for (const [i, v] of values.entries()) {
    if (i === 0) continue;
    const kind = plan.shape[i];
    if (kind === 'number' && (!Number.isInteger(v) || Math.abs(v as number) > 2_147_483_647)) throw invalid();
    if (kind === 'string') {
      const s = v as string;
      const last = i === values.length - 1;
      if (last ? !isUuid(s) : !ISO_MICROS.test(s) || Number.isNaN(Date.parse(s))) throw invalid();
    }
  }
  return values;
}

// --- the list -------------------------------------------------------------------------------

interface RawCaseRow {
  id: string;
  number: number;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  category: CaseCategory;
  channel: Channel;
  tags: string[];
  customer_id: string;
  assignee_id: string | null;
  team_id: string | null;
  queue_id: string | null;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date;
  version: number;
  cursor_at: string | null;
  priority_rank: number;
}

const ROW_COLUMNS = sql`c.id, c.number, c.subject, c.status, c.priority, c.category, c.channel, c.tags, c.customer_id,
  c.assignee_id, c.team_id, c.queue_id, c.created_at, c.updated_at, c.last_message_at, c.version`;

export async function listCases(db: Db, actor: Actor, options: ListCasesOptions = {}): Promise<CaseListPage> {
  authorize(actor, 'case.read');
  const sort = options.sort ?? 'updated_desc';
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw validationError('pagination.invalid_limit', `limit must be 1-${MAX_PAGE_SIZE}`, { field: 'limit' });
  }
  const plan = SORTS[sort];
  const cursor = readCursor(sort, options.cursor);
  const conditions = caseConditions(actor, options.filters ?? {});
  const pageConditions = cursor ? [...conditions, plan.after(cursor)] : conditions;
  const cursorAt = plan.timeColumn
    ? sql`to_char(${sql.ref(`c.${plan.timeColumn}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : sql`null::text`;

  const q = options.filters?.q;
  let rows: RawCaseRow[] | undefined;
  let windowMatches: number | undefined;
  const window = options.searchWindow ?? SEARCH_WINDOW;
  if (q && window > 0) {
    const windowed = await searchWindow(db, actor, { ...options.filters, q: undefined }, q, plan, cursor, limit, cursorAt, window);
    // A full page (or an exhausted candidate list) from the window is the page the whole search gives.
    if (windowed.rows.length > limit || windowed.candidates < window) {
      rows = windowed.rows;
      if (!cursor && options.count !== false && rows.length > limit) windowMatches = await windowed.countMatches();
    }
  }
  rows ??= (
    await sql<RawCaseRow>`
    select ${ROW_COLUMNS}, ${cursorAt} as cursor_at, ${PRIORITY_RANK} as priority_rank
    from cases c
    where ${and(pageConditions)}
    order by ${plan.orderBy}
    limit ${limit + 1}`.execute(db)
  ).rows;

  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  const page: CaseListPage = {
    data: await presentCaseRows(db, actor, pageRows),
    next_cursor: hasMore && last ? encodeCursor(plan.cursorOf(last)) : null,
  };
  if (!cursor && options.count !== false) {
    page.total_estimate = !hasMore
      ? pageRows.length
      : windowMatches !== undefined
        ? Math.min(windowMatches, TOTAL_CAP)
        : await countUpTo(db, conditions, TOTAL_CAP);
  }
  return page;
}

/**
 * The text search over the first `window` cases of the sort order that pass the other
 * filters: the page's rows (limit + 1 at most), how many candidates the window held, and a count of
 * the window's matches (every match when the window held all candidates, else a lower bound).
 */
async function searchWindow(
  db: Db,
  actor: Actor,
  filters: CaseListFilters,
  q: string,
  plan: SortPlan,
  cursor: (string | number | null)[] | undefined,
  limit: number,
  cursorAt: RawBuilder<unknown>,
  window: number,
): Promise<{ rows: RawCaseRow[]; candidates: number; countMatches: () => Promise<number> }> {
  const base = caseConditions(actor, filters);
  const conditions = cursor ? [...base, plan.after(cursor)] : base;
  // The candidates come ordered from their index and are matched one by one until the page is
  // full: a common word stops after a few dozen cases, a rare one after the whole window.
  const candidates = sql`(select c.* from cases c where ${and(conditions)} order by ${plan.orderBy} limit ${window}) c`;
  const result = await sql<RawCaseRow>`
    select ${ROW_COLUMNS}, ${cursorAt} as cursor_at, ${PRIORITY_RANK} as priority_rank
    from ${candidates} ${textHit(q)}
    where ${textMatches(q)}
    order by ${plan.orderBy}
    limit ${limit + 1}`.execute(db);
  const rows = result.rows;
  // Less than a page: whether the window held every candidate decides if that is the answer.
  const held = rows.length > limit ? window : await countUpTo(db, conditions, window);
  const countMatches = async () => {
    const counted = await sql<{ n: number }>`
      select count(*)::int as n from ${candidates} ${textHit(q)} where ${textMatches(q)}`.execute(db);
    return counted.rows[0]?.n ?? 0;
  };
  return { rows, candidates: held, countMatches };
}

async function countUpTo(db: Db, conditions: RawBuilder<boolean>[], cap: number): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from cases c where ${and(conditions)} limit ${cap}) capped`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Counts several filter sets in one pass over the workspace's cases (one FILTER aggregate per
 * set): the inbox sidebar asks for all its counts at once.
 */
export async function countCases(db: Db, actor: Actor, sets: CaseListFilters[]): Promise<number[]> {
  authorize(actor, 'case.read');
  if (sets.length === 0) return [];
  const conditions = sets.map((set) => caseConditions(actor, set));
  // Each set starts with the workspace condition; only what follows differs.
  const specific = conditions.map((c) => (c.length > 1 ? and(c.slice(1)) : sql<boolean>`true`));
  const counts = specific.map((cond, i) => sql`count(*) filter (where ${cond})::int as ${sql.id(`n${i}`)}`);
  const result = await sql<Record<string, number>>`
    select ${sql.join(counts)}
    from cases c
    where c.workspace_id = ${actor.workspaceId} and (${sql.join(specific, sql` or `)})`.execute(db);
  const row = result.rows[0] ?? {};
  return sets.map((_, i) => row[`n${i}`] ?? 0);
}

const pickCustomer = (c: { id: string; name: string; primary_email: string | null } | undefined, id: string) =>
  c ? { id: c.id, name: c.name, primary_email: c.primary_email } : { id, name: '', primary_email: null };
const pickAgent = (a: { id: string; name: string } | undefined) => (a ? { id: a.id, name: a.name } : null);

/** Adds each row's customer and assignee, with one batched query each for the whole page. */
async function presentCaseRows(db: Db, actor: Actor, rows: Omit<RawCaseRow, 'cursor_at' | 'priority_rank'>[]): Promise<CaseListRow[]> {
  if (rows.length === 0) return [];
  const customerIds = [...new Set(rows.map((r) => r.customer_id))];
  const assigneeIds = [...new Set(rows.map((r) => r.assignee_id).filter((id): id is string => id !== null))];
  const [customerById, agentById] = await Promise.all([
    getCustomerSummaries(db, actor, customerIds),
    getAgentsByIds(db, actor, assigneeIds),
  ]);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    category: r.category,
    channel: r.channel,
    tags: r.tags,
    customer: pickCustomer(customerById.get(r.customer_id), r.customer_id),
    assignee: r.assignee_id ? pickAgent(agentById.get(r.assignee_id)) : null,
    team_id: r.team_id,
    queue_id: r.queue_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    last_message_at: r.last_message_at,
    version: r.version,
  }));
}

// --- search with snippets -------------------------------------------------------------------

export interface CaseSearchHit extends CaseListRow {
  /** Plain text around the match, the matched words between « and »; never HTML. */
  snippet: string;
}

// The markers are plain characters, so a client shows the snippet as text, never as HTML.
const HEADLINE_OPTIONS = 'StartSel=«, StopSel=», MaxWords=30, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';
// A subject is short: show all of it.
const SUBJECT_HEADLINE_OPTIONS = 'StartSel=«, StopSel=», HighlightAll=true';

/**
 * Cases matching a full-text query (newest activity first), each with a snippet from its
 * best-matching message, or from the subject when only the subject matches.
 */
export async function searchCases(
  db: Db,
  actor: Actor,
  input: { q: string; status?: CaseStatus[]; limit?: number },
): Promise<CaseSearchHit[]> {
  const page = await listCases(db, actor, {
    filters: { q: input.q, ...(input.status ? { status: input.status } : {}) },
    limit: input.limit ?? DEFAULT_PAGE_SIZE,
    count: false,
  });
  if (page.data.length === 0) return [];
  const ids = page.data.map((r) => r.id);
  const snippets = await sql<{ id: string; snippet: string }>`
    select c.id, case when best.body is null
        then ts_headline('simple', c.subject, tsq.query, ${SUBJECT_HEADLINE_OPTIONS})
        else ts_headline('simple', best.body, tsq.query, ${HEADLINE_OPTIONS}) end as snippet
    from cases c
    cross join (select ${tsQuery(input.q)} as query) tsq
    left join lateral (
      select left(m.body_text, 20000) as body from messages m
      where m.case_id = c.id and m.workspace_id = c.workspace_id and ts_match_vq(m.search_vector, tsq.query)
      order by ts_rank(m.search_vector, tsq.query) desc, m.created_at desc, m.id
      limit 1) best on true
    where c.workspace_id = ${actor.workspaceId} and c.id = any(${ids}::uuid[])`.execute(db);
  const byId = new Map(snippets.rows.map((s) => [s.id, s.snippet]));
  return page.data.map((row) => ({ ...row, snippet: plainSnippet(byId.get(row.id) ?? row.subject) }));
}

/**
 * ts_headline drops the tags its parser recognizes but keeps others (`<img src=x onerror=...>`);
 * removing every tag-like run makes snippets read the same whatever the message held.
 */
export function plainSnippet(headline: string): string {
  return headline
    .replace(/<\/?[A-Za-z!][^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
