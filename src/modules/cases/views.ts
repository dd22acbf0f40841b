import { Type, type Static, type TSchema } from 'typebox';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { customerSummariesOf, agentNamesOf, attachmentsOf, type CustomerSummary } from './people.js';
import type { MessageRow } from './message-store.js';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, CHANNELS } from './schema.js';
import { followerIdsOf, type CaseRow } from './store.js';

/** Response shapes of the cases module (TypeBox, published in OpenAPI) and row -> view mappers. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Id = Type.String({ format: 'uuid' });

export const PersonRefSchema = Type.Object({ id: Id, name: Type.String() });
export type PersonRef = Static<typeof PersonRefSchema>;

export const CaseCustomerSchema = Type.Object({
  id: Id,
  name: Type.String(),
  primary_email: Nullable(Type.String()),
  organization: Type.String(),
});

export const CaseViewSchema = Type.Object({
  id: Id,
  number: Type.Integer({ description: 'Per-workspace case number people use (#1042)' }),
  subject: Type.String(),
  status: Type.Enum([...CASE_STATUSES]),
  priority: Type.Enum([...CASE_PRIORITIES]),
  category: Type.Enum([...CASE_CATEGORIES]),
  type: Type.Enum([...CASE_TYPES]),
  due_at: Nullable(Type.String({ format: 'date-time', description: 'Deadline (a dispute: its evidence due date)' })),
  channel: Type.Enum([...CHANNELS]),
  customer: CaseCustomerSchema,
  team_id: Nullable(Id),
  queue_id: Nullable(Id),
  assignee: Nullable(PersonRefSchema),
  tags: Type.Array(Type.String()),
  followers: Type.Array(PersonRefSchema),
  merged_into_id: Nullable(Id),
  version: Type.Integer({ description: 'Send back with PATCH; a stale version is refused (409)' }),
  created_at: DateTime,
  updated_at: DateTime,
  last_message_at: DateTime,
  solved_at: Nullable(DateTime),
  closed_at: Nullable(DateTime),
});
export type CaseView = Static<typeof CaseViewSchema>;

export const AttachmentViewSchema = Type.Object({
  id: Id,
  filename: Type.String(),
  content_type: Type.String(),
  size_bytes: Type.Integer(),
  url: Type.String({ description: 'Signed, expiring download link' }),
});

export const MessageViewSchema = Type.Object({
  id: Id,
  visibility: Type.Enum(['public', 'internal']),
  author_type: Type.Enum(['customer', 'agent', 'system']),
  author: Nullable(PersonRefSchema),
  channel: Type.Enum([...CHANNELS, 'internal']),
  body_text: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(AttachmentViewSchema),
  created_at: DateTime,
});
export type MessageView = Static<typeof MessageViewSchema>;

export const CaseEventViewSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String({ description: 'created, message_added, status_changed, assigned, merged_into, ...' }),
  actor_type: Type.Enum(['agent', 'customer', 'system']),
  actor: Nullable(PersonRefSchema),
  data: Type.Record(Type.String(), Type.Unknown()),
  created_at: DateTime,
});
export type CaseEventView = Static<typeof CaseEventViewSchema>;

export const TimelineItemSchema = Type.Object({
  kind: Type.Enum(['event', 'message']),
  id: Type.String({ description: 'Event id or message id' }),
  case: Type.Object({ id: Id, number: Type.Integer(), subject: Type.String(), status: Type.Enum([...CASE_STATUSES]) }),
  created_at: DateTime,
  event: Type.Optional(CaseEventViewSchema),
  message: Type.Optional(MessageViewSchema),
});
export type TimelineItem = Static<typeof TimelineItemSchema>;

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

/**
 * What the caller already holds, so a view of a case it just wrote needs no second read:
 * the customers' summaries, and `newCases` when no case has followers yet.
 */
export interface KnownCaseFacts {
  customers?: Map<string, CustomerSummary>;
  newCases?: boolean;
}

/** Case views for several rows with three batched lookups (customers, agents, followers), never one per case. */
export async function toCaseViews(db: Db, actor: Actor, rows: CaseRow[], known: KnownCaseFacts = {}): Promise<CaseView[]> {
  if (rows.length === 0) return [];
  const followers: Map<string, string[]> = known.newCases
    ? new Map<string, string[]>()
    : await followerIdsOf(
        db,
        actor,
        rows.map((r) => r.id),
      );
  const agentIds = new Set<string>();
  for (const row of rows) {
    if (row.assignee_id) agentIds.add(row.assignee_id);
    for (const id of followers.get(row.id) ?? []) agentIds.add(id);
  }
  const unknownCustomers = rows.map((r) => r.customer_id).filter((id) => !known.customers?.has(id));
  const [fetchedCustomers, agents] = await Promise.all([
    customerSummariesOf(db, actor, unknownCustomers),
    agentNamesOf(db, actor, [...agentIds]),
  ]);
  return rows.map((row) => {
    const customer = known.customers?.get(row.customer_id) ??
      fetchedCustomers.get(row.customer_id) ?? { id: row.customer_id, name: '', primary_email: null, organization: '' };
    return {
      id: row.id,
      number: row.number,
      subject: row.subject,
      status: row.status,
      priority: row.priority,
      category: row.category,
      type: row.type,
      due_at: iso(row.due_at),
      channel: row.channel,
      customer: { id: customer.id, name: customer.name, primary_email: customer.primary_email, organization: customer.organization },
      team_id: row.team_id,
      queue_id: row.queue_id,
      assignee: row.assignee_id ? (agents.get(row.assignee_id) ?? { id: row.assignee_id, name: '' }) : null,
      tags: [...row.tags],
      followers: (followers.get(row.id) ?? []).map((id) => agents.get(id) ?? { id, name: '' }),
      merged_into_id: row.merged_into_id,
      version: row.version,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      last_message_at: row.last_message_at.toISOString(),
      solved_at: iso(row.solved_at),
      closed_at: iso(row.closed_at),
    };
  });
}

export async function toCaseView(db: Db, actor: Actor, row: CaseRow, known: KnownCaseFacts = {}): Promise<CaseView> {
  const [view] = await toCaseViews(db, actor, [row], known);
  return view!;
}

/**
 * Message views with authors and attachments fetched in one batch each. Customers (status links)
 * get no channel metadata: it may hold headers and routing details meant for agents.
 */
export async function toMessageViews(db: Db, actor: Actor, rows: MessageRow[]): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const agentIds = new Set<string>();
  const customerIds = new Set<string>();
  for (const row of rows) {
    if (row.author_type === 'agent' && row.author_agent_id) agentIds.add(row.author_agent_id);
    if (row.author_type === 'customer' && row.author_customer_id) customerIds.add(row.author_customer_id);
  }
  const [agents, customers, attachments] = await Promise.all([
    agentNamesOf(db, actor, [...agentIds]),
    customerSummariesOf(db, actor, [...customerIds]),
    attachmentsOf(
      db,
      actor,
      rows.map((r) => r.id),
    ),
  ]);
  const forCustomer = actor.kind === 'customer';
  return rows.map((row) => {
    let author: PersonRef | null = null;
    if (row.author_type === 'agent' && row.author_agent_id)
      author = agents.get(row.author_agent_id) ?? { id: row.author_agent_id, name: '' };
    if (row.author_type === 'customer' && row.author_customer_id) {
      const customer = customers.get(row.author_customer_id);
      author = { id: row.author_customer_id, name: customer?.name ?? '' };
    }
    return {
      id: row.id,
      visibility: row.visibility,
      author_type: row.author_type,
      author,
      channel: row.channel,
      body_text: row.body_text,
      metadata: forCustomer ? {} : row.metadata,
      attachments: attachments.get(row.id) ?? [],
      created_at: row.created_at.toISOString(),
    };
  });
}
