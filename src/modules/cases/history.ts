import type { Db } from '../../db/database.js';
import { encodeCursor, decodeCursor } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound, validationError } from '../../platform/errors.js';
import { selectCaseEvents, selectTimelineEvents, selectTimelineMessages, type CaseEventRow, type TimelineCursor } from './history-store.js';
import { MAX_PAGE, type PageRequest } from './list-messages.js';
import { agentNamesOf, customerSummariesOf } from './people.js';
import { isUuid, loadCase } from './store.js';
import { toMessageViews, type CaseEventView, type TimelineItem } from './views.js';

/** A case's history is bounded in practice; this caps a pathological one. */
const MAX_EVENTS = 2000;

async function toEventViews(db: Db, actor: Actor, rows: CaseEventRow[]): Promise<CaseEventView[]> {
  const agentIds = rows.filter((r) => r.actor_type === 'agent' && r.actor_id).map((r) => r.actor_id!);
  const customerIds = rows.filter((r) => r.actor_type === 'customer' && r.actor_id).map((r) => r.actor_id!);
  const [agents, customers] = await Promise.all([agentNamesOf(db, actor, agentIds), customerSummariesOf(db, actor, customerIds)]);
  return rows.map((row) => {
    let who: { id: string; name: string } | null = null;
    if (row.actor_id && row.actor_type === 'agent') who = agents.get(row.actor_id) ?? { id: row.actor_id, name: '' };
    if (row.actor_id && row.actor_type === 'customer') who = { id: row.actor_id, name: customers.get(row.actor_id)?.name ?? '' };
    return {
      id: Number(row.id),
      type: row.type,
      actor_type: row.actor_type,
      actor: who,
      data: row.data,
      created_at: row.created_at.toISOString(),
    };
  });
}

/** The history of one case, oldest first. */
export async function listCaseEvents(db: Db, actor: Actor, caseId: string): Promise<CaseEventView[]> {
  const row = await loadCase(db, actor, caseId, 'case.read');
  return toEventViews(db, actor, await selectCaseEvents(db, actor, row.id, MAX_EVENTS));
}

function parseTimelineCursor(raw: string | undefined): TimelineCursor | undefined {
  const values = decodeCursor(raw, ['number', 'number', 'string']) as [number, number, string] | undefined;
  if (!values) return undefined;
  const [createdUs, rank, id] = values;
  const valid = Number.isSafeInteger(createdUs) && (rank === 0 ? /^\d{1,15}$/.test(id) : rank === 1 && isUuid(id));
  if (!valid)
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  return { createdUs, rank: rank as 0 | 1, id };
}

type Entry = { us: number; rank: 0 | 1; id: string };

function newerFirst(a: Entry, b: Entry): number {
  if (a.us !== b.us) return b.us - a.us;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (a.rank === 0) return Number(b.id) - Number(a.id);
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Everything that happened on a customer's cases, newest first: case events and messages
 * (notes included; this is the agents' view) merged by time. One query per table, each fetching
 * one page, merged here; the cursor is the last item's (time, kind, id).
 */
export async function listCustomerTimeline(
  db: Db,
  actor: Actor,
  customerId: string,
  page: PageRequest = {},
): Promise<{ data: TimelineItem[]; next_cursor: string | null }> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'customer' });
  const customers = isUuid(customerId) ? await customerSummariesOf(db, actor, [customerId]) : new Map();
  if (!customers.has(customerId)) throw notFound('customer');
  const limit = Math.min(Math.max(page.limit ?? 25, 1), MAX_PAGE);
  const cursor = parseTimelineCursor(page.cursor);

  const [events, messages] = await Promise.all([
    selectTimelineEvents(db, actor, customerId, limit + 1, cursor),
    selectTimelineMessages(db, actor, customerId, limit + 1, cursor),
  ]);
  const entries: Entry[] = [
    ...events.map((e): Entry => ({ us: e.created_us, rank: 0, id: String(e.id) })),
    ...messages.map((m): Entry => ({ us: m.created_us, rank: 1, id: m.id })),
  ].sort(newerFirst);
  const pageEntries = entries.slice(0, limit);
  const hasMore = entries.length > limit;

  const keep = new Set(pageEntries.map((e) => `${e.rank}:${e.id}`));
  const pageEvents = events.filter((e) => keep.has(`0:${e.id}`));
  const pageMessages = messages.filter((m) => keep.has(`1:${m.id}`));
  const [eventViews, messageViews] = await Promise.all([toEventViews(db, actor, pageEvents), toMessageViews(db, actor, pageMessages)]);
  const items = new Map<string, TimelineItem>();
  pageEvents.forEach((e, i) => {
    const view = eventViews[i]!;
    items.set(`0:${e.id}`, {
      kind: 'event',
      id: String(e.id),
      case: { id: e.case_id, number: e.case_number, subject: e.case_subject, status: e.case_status },
      created_at: view.created_at,
      event: view,
    });
  });
  pageMessages.forEach((m, i) => {
    const view = messageViews[i]!;
    items.set(`1:${m.id}`, {
      kind: 'message',
      id: m.id,
      case: { id: m.case_id, number: m.case_number, subject: m.case_subject, status: m.case_status },
      created_at: view.created_at,
      message: view,
    });
  });
  const last = pageEntries.at(-1);
  return {
    data: pageEntries.map((e) => items.get(`${e.rank}:${e.id}`)!),
    next_cursor: hasMore && last ? encodeCursor([last.us, last.rank, last.id]) : null,
  };
}
