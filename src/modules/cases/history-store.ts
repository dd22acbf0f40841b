import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';
import { MESSAGE_COLUMNS_OF_M, type MessageRow } from './message-store.js';
import type { CaseEventsTable, CaseStatus } from './schema.js';
import { fromMicros, microsOf } from './time-keys.js';

/** SQL for case history: the events of one case and a customer's timeline across their cases. */

export type CaseEventRow = Omit<Selectable<CaseEventsTable>, 'workspace_id'>;

const EVENT_COLUMNS = ['e.id', 'e.case_id', 'e.type', 'e.actor_type', 'e.actor_id', 'e.data', 'e.created_at'] as const;

export async function selectCaseEvents(db: Db, actor: Actor, caseId: string, limit: number): Promise<CaseEventRow[]> {
  return db
    .selectFrom('case_events as e')
    .select(EVENT_COLUMNS)
    .where('e.workspace_id', '=', workspaceScope(actor))
    .where('e.case_id', '=', caseId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

export interface TimelineCase {
  case_number: number;
  case_subject: string;
  case_status: CaseStatus;
}

/**
 * Timeline position: newest first by time; at the same instant messages before events, then by
 * id descending. `rank` is 1 for messages, 0 for events.
 */
export interface TimelineCursor {
  createdUs: number;
  rank: 0 | 1;
  id: string;
}

/** Rows of one table strictly after the cursor in timeline order (each table has one rank). */
function afterCursor(rank: 0 | 1, cursor: TimelineCursor | undefined, idType: 'bigint' | 'uuid', alias: string) {
  if (!cursor) return sql<boolean>`true`;
  const at = fromMicros(cursor.createdUs);
  const created = sql.ref(`${alias}.created_at`);
  if (rank < cursor.rank) return sql<boolean>`${created} <= ${at}`;
  if (rank > cursor.rank) return sql<boolean>`${created} < ${at}`;
  const id = idType === 'bigint' ? sql`${Number(cursor.id)}::bigint` : sql`${cursor.id}::uuid`;
  return sql<boolean>`(${created}, ${sql.ref(`${alias}.id`)}) < (${at}, ${id})`;
}

/** A customer's case events (message_added left out: the message itself is on the timeline). */
export async function selectTimelineEvents(
  db: Db,
  actor: Actor,
  customerId: string,
  limit: number,
  cursor: TimelineCursor | undefined,
): Promise<(CaseEventRow & TimelineCase & { created_us: number })[]> {
  return db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select([
      ...EVENT_COLUMNS,
      'c.number as case_number',
      'c.subject as case_subject',
      'c.status as case_status',
      microsOf('e.created_at').as('created_us'),
    ])
    .where('c.workspace_id', '=', workspaceScope(actor))
    .where('e.workspace_id', '=', workspaceScope(actor))
    .where('c.customer_id', '=', customerId)
    .where('e.type', '<>', 'message_added')
    .where(afterCursor(0, cursor, 'bigint', 'e'))
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

export async function selectTimelineMessages(
  db: Db,
  actor: Actor,
  customerId: string,
  limit: number,
  cursor: TimelineCursor | undefined,
): Promise<(MessageRow & TimelineCase)[]> {
  return db
    .selectFrom('messages as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .select([
      ...MESSAGE_COLUMNS_OF_M,
      microsOf('m.created_at').as('created_us'),
      'c.number as case_number',
      'c.subject as case_subject',
      'c.status as case_status',
    ])
    .where('c.workspace_id', '=', workspaceScope(actor))
    .where('m.workspace_id', '=', workspaceScope(actor))
    .where('c.customer_id', '=', customerId)
    .where(afterCursor(1, cursor, 'uuid', 'm'))
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}
