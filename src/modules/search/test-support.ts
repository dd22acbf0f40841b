import { sql } from 'kysely';
import type { CaseCategory, CasePriority, CaseStatus, Channel } from '../cases/schema.js';
import { getTestContext } from '../../test/harness.js';

/**
 * Rows for inbox, view and search tests, written directly: the listing is a read model and
 * its tests choose exact numbers, timestamps and statuses that the cases service would not let
 * them pick. Timestamps are strings so tests can set microseconds (JS dates stop at ms).
 */
export async function seedCustomer(
  workspaceId: string,
  options: { name?: string; organization?: string; emails?: string[]; phones?: string[]; mergedIntoId?: string } = {},
): Promise<{ id: string; name: string }> {
  const { db } = await getTestContext();
  const customer = await db
    .insertInto('customers')
    .values({
      workspace_id: workspaceId,
      name: options.name ?? 'Customer',
      organization: options.organization ?? '',
      merged_into_id: options.mergedIntoId ?? null,
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  const identities = [
    ...(options.emails ?? []).map((value, i) => ({ kind: 'email' as const, value, is_primary: i === 0 })),
    ...(options.phones ?? []).map((value) => ({ kind: 'phone' as const, value, is_primary: false })),
  ];
  for (const identity of identities) {
    await db
      .insertInto('customer_identities')
      .values({ workspace_id: workspaceId, customer_id: customer.id, ...identity })
      .execute();
  }
  return customer;
}

const nextNumbers = new Map<string, number>();

export interface SeedCase {
  number?: number;
  subject?: string;
  status?: CaseStatus;
  priority?: CasePriority;
  category?: CaseCategory;
  channel?: Channel;
  tags?: string[];
  teamId?: string | null;
  queueId?: string | null;
  assigneeId?: string | null;
  createdAt?: string;
  updatedAt?: string;
  solvedAt?: string | null;
}

const at = (value: string | undefined) => (value === undefined ? sql<Date>`now()` : sql<Date>`${value}::timestamptz`);

export async function seedCase(workspaceId: string, customerId: string, options: SeedCase = {}): Promise<{ id: string; number: number }> {
  const { db } = await getTestContext();
  const number = options.number ?? nextNumbers.get(workspaceId) ?? 1001;
  nextNumbers.set(workspaceId, Math.max(number + 1, nextNumbers.get(workspaceId) ?? 0));
  return db
    .insertInto('cases')
    .values({
      workspace_id: workspaceId,
      number,
      subject: options.subject ?? `Case ${number}`,
      status: options.status ?? 'open',
      priority: options.priority ?? 'normal',
      category: options.category ?? 'general',
      channel: options.channel ?? 'email',
      customer_id: customerId,
      tags: options.tags ?? [],
      team_id: options.teamId ?? null,
      queue_id: options.queueId ?? null,
      assignee_id: options.assigneeId ?? null,
      created_at: at(options.createdAt),
      updated_at: at(options.updatedAt ?? options.createdAt),
      last_message_at: at(options.updatedAt ?? options.createdAt),
      solved_at: options.solvedAt ? at(options.solvedAt) : null,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export async function seedMessage(
  workspaceId: string,
  caseId: string,
  body: string,
  options: { visibility?: 'public' | 'internal'; authorAgentId?: string; customerId?: string } = {},
): Promise<{ id: string }> {
  const { db } = await getTestContext();
  const internal = options.visibility === 'internal';
  return db
    .insertInto('messages')
    .values({
      workspace_id: workspaceId,
      case_id: caseId,
      visibility: internal ? 'internal' : 'public',
      author_type: internal ? 'agent' : options.customerId ? 'customer' : 'system',
      author_agent_id: internal ? (options.authorAgentId ?? null) : null,
      author_customer_id: internal ? null : (options.customerId ?? null),
      channel: internal ? 'internal' : 'email',
      body_text: body,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
