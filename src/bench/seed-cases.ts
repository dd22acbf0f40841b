/**
 * The cases of the large seed: one case with its messages, case events and timestamps at a time
 * into column arrays (CaseBatch), written by one INSERT ... SELECT FROM unnest(...) per table.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { INQUIRIES, pick, weighted } from '../demo/content.js';
import { AGENT_LINES, CASE_TAGS, CUSTOMER_LINES, INTERNAL_NOTES } from './vocabulary.js';

export const DAY = 86_400_000;

export interface Setup {
  workspaceId: string;
  adminId: string;
  teams: { id: string; queueId: string; agentIds: string[]; categories: string[] }[];
  token: string;
}

/** A PostgreSQL array literal sent as one text parameter, which pg and PGlite pass through alike. */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  const item = (v: string | number | boolean | null) =>
    v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : String(v);
  return `{${values.map(item).join(',')}}`;
}

/** Age in days, skewed to recent work (a growing business) with a long tail of two years. */
const ageDays = (random: () => number) => Math.min(730, -Math.log(1 - random()) * 120);

function statusFor(age: number, random: () => number): string {
  if (age > 30)
    return weighted(random, [
      ['closed', 0.86],
      ['solved', 0.09],
      ['pending', 0.02],
      ['on_hold', 0.01],
      ['open', 0.02],
    ]);
  if (age > 7)
    return weighted(random, [
      ['closed', 0.3],
      ['solved', 0.4],
      ['pending', 0.1],
      ['on_hold', 0.05],
      ['open', 0.1],
      ['new', 0.05],
    ]);
  return weighted(random, [
    ['new', 0.15],
    ['open', 0.3],
    ['pending', 0.2],
    ['on_hold', 0.05],
    ['solved', 0.25],
    ['closed', 0.05],
  ]);
}

export interface CaseBatch {
  c: Record<
    | 'id'
    | 'subject'
    | 'status'
    | 'priority'
    | 'category'
    | 'channel'
    | 'customer'
    | 'team'
    | 'queue'
    | 'assignee'
    | 'tags'
    | 'created'
    | 'updated'
    | 'lastMsg'
    | 'lastCust'
    | 'firstReply'
    | 'solved'
    | 'closed',
    (string | null)[]
  > & { number: number[] };
  m: Record<'case' | 'visibility' | 'authorType' | 'agent' | 'customer' | 'channel' | 'body' | 'created', (string | null)[]>;
  e: Record<'case' | 'type' | 'actorType' | 'actor' | 'data' | 'created', (string | null)[]>;
}

export function emptyBatch(): CaseBatch {
  const arrays = <K extends string>(keys: K[]) => Object.fromEntries(keys.map((k) => [k, []])) as unknown as Record<K, (string | null)[]>;
  return {
    c: {
      ...arrays([
        'id',
        'subject',
        'status',
        'priority',
        'category',
        'channel',
        'customer',
        'team',
        'queue',
        'assignee',
        'tags',
        'created',
        'updated',
        'lastMsg',
        'lastCust',
        'firstReply',
        'solved',
        'closed',
      ]),
      number: [],
    },
    m: arrays(['case', 'visibility', 'authorType', 'agent', 'customer', 'channel', 'body', 'created']),
    e: arrays(['case', 'type', 'actorType', 'actor', 'data', 'created']),
  };
}

export function addCase(b: CaseBatch, setup: Setup, number: number, customerId: string, language: string, random: () => number): void {
  const id = crypto.randomUUID();
  const inquiry = pick(random, INQUIRIES);
  const age = ageDays(random);
  const created = Date.now() - age * DAY;
  const status = statusFor(age, random);
  const category =
    random() < 0.85 ? inquiry.category : pick(random, ['billing', 'payment', 'dispute', 'refund', 'technical', 'general'] as const);
  const team = setup.teams.find((t) => t.categories.includes(category))!;
  const assignee = status === 'new' && random() < 0.7 ? null : random() < 0.08 ? setup.adminId : pick(random, team.agentIds);
  const channel = weighted(random, [
    ['web', 0.35],
    ['email', 0.35],
    ['phone', 0.15],
    ['chat', 0.1],
    ['letter', 0.05],
  ]);
  const tags = CASE_TAGS.filter(() => random() < 0.08).join(',');
  // The case lived for up to its age (closed ones a few days); messages spread over that time.
  const lifeMs = Math.min(age * DAY, (1 + random() * 10) * DAY);
  const messageCount = 3 + Math.floor(random() * 8);
  const lines = CUSTOMER_LINES[language] ?? CUSTOMER_LINES.en!;
  let t = created;
  let lastCust: number | null = null;
  let firstReply: number | null = null;
  for (let i = 0; i < messageCount; i++) {
    const author = i === 0 ? 'customer' : random() < 0.12 ? 'internal' : i % 2 === 1 ? 'agent' : 'customer';
    const agentId = assignee ?? pick(random, team.agentIds);
    let body: string;
    if (author === 'customer') {
      body =
        i === 0
          ? `${inquiry.body}\n\n${pick(random, lines)}`
          : `${inquiry.customerFollowUp ?? pick(random, lines)} ${pick(random, lines)} Ref ${number}-${i}.`;
      lastCust = t;
    } else if (author === 'agent') {
      body =
        i === 1 ? `${inquiry.agentReply}\n\n${pick(random, AGENT_LINES)}` : `${pick(random, AGENT_LINES)} ${pick(random, AGENT_LINES)}`;
      firstReply ??= t;
    } else {
      body = pick(random, INTERNAL_NOTES);
    }
    b.m.case.push(id);
    b.m.visibility.push(author === 'internal' ? 'internal' : 'public');
    b.m.authorType.push(author === 'customer' ? 'customer' : 'agent');
    b.m.agent.push(author === 'customer' ? null : agentId);
    b.m.customer.push(author === 'customer' ? customerId : null);
    b.m.channel.push(author === 'internal' ? 'internal' : channel);
    b.m.body.push(body);
    b.m.created.push(new Date(t).toISOString());
    t += (lifeMs / messageCount) * (0.5 + random());
  }
  const lastMsg = t;
  const event = (type: string, actorType: string, actor: string | null, data: object, at: number) => {
    b.e.case.push(id);
    b.e.type.push(type);
    b.e.actorType.push(actorType);
    b.e.actor.push(actor);
    b.e.data.push(JSON.stringify(data));
    b.e.created.push(new Date(at).toISOString());
  };
  event(
    'created',
    'customer',
    customerId,
    { number, status: 'new', category, channel, customer_id: customerId, team_id: team.id, queue_id: team.queueId },
    created,
  );
  if (assignee) event('assigned', 'system', null, { from: null, to: assignee, auto: true }, created + 1000);
  let updated = lastMsg;
  let solved: number | null = null;
  let closed: number | null = null;
  const path =
    status === 'new'
      ? []
      : status === 'closed'
        ? ['open', 'solved', 'closed']
        : status === 'solved'
          ? ['open', 'solved']
          : status === 'open'
            ? ['open']
            : ['open', status];
  let from = 'new';
  let at = created + 60_000;
  for (const to of path) {
    at = to === 'closed' ? Math.max(at, lastMsg) + 4 * DAY : to === 'solved' ? Math.max(at, lastMsg) + 60_000 : at + 3_600_000 * random();
    at = Math.min(at, Date.now() - 1000);
    event('status_changed', 'agent', assignee, { from, to }, at);
    if (to === 'solved') solved = at;
    if (to === 'closed') closed = at;
    from = to;
    updated = Math.max(updated, at);
  }
  const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
  b.c.id.push(id);
  b.c.number.push(number);
  b.c.subject.push(inquiry.subject);
  b.c.status.push(status);
  b.c.priority.push(
    weighted(random, [
      ['low', 0.15],
      ['normal', 0.6],
      ['high', 0.2],
      ['urgent', 0.05],
    ]),
  );
  b.c.category.push(category);
  b.c.channel.push(channel);
  b.c.customer.push(customerId);
  b.c.team.push(team.id);
  b.c.queue.push(team.queueId);
  b.c.assignee.push(assignee);
  b.c.tags.push(tags);
  b.c.created.push(iso(created));
  b.c.updated.push(iso(updated));
  b.c.lastMsg.push(iso(lastMsg));
  b.c.lastCust.push(iso(lastCust));
  b.c.firstReply.push(iso(firstReply));
  b.c.solved.push(iso(solved));
  b.c.closed.push(iso(closed));
}

export async function writeCaseBatch(db: Db, workspaceId: string, b: CaseBatch): Promise<void> {
  const { c, m, e } = b;
  await db.transaction().execute(async (tx) => {
    await sql`insert into cases (id, workspace_id, number, subject, status, priority, category, channel, customer_id, team_id, queue_id,
        assignee_id, tags, created_at, updated_at, last_message_at, last_customer_message_at, first_agent_reply_at, solved_at, closed_at)
      select u.id, ${workspaceId}::uuid, u.number, u.subject, u.status, u.priority, u.category, u.channel, u.customer, u.team, u.queue,
        u.assignee, case when u.tags = '' then '{}'::text[] else string_to_array(u.tags, ',') end, u.created, u.updated, u.last_msg,
        u.last_cust, u.first_reply, u.solved, u.closed
      from unnest(${pgArray(c.id)}::uuid[], ${pgArray(c.number)}::int[], ${pgArray(c.subject)}::text[], ${pgArray(c.status)}::text[], ${pgArray(c.priority)}::text[], ${pgArray(c.category)}::text[],
        ${pgArray(c.channel)}::text[], ${pgArray(c.customer)}::uuid[], ${pgArray(c.team)}::uuid[], ${pgArray(c.queue)}::uuid[], ${pgArray(c.assignee)}::uuid[], ${pgArray(c.tags)}::text[],
        ${pgArray(c.created)}::timestamptz[], ${pgArray(c.updated)}::timestamptz[], ${pgArray(c.lastMsg)}::timestamptz[], ${pgArray(c.lastCust)}::timestamptz[],
        ${pgArray(c.firstReply)}::timestamptz[], ${pgArray(c.solved)}::timestamptz[], ${pgArray(c.closed)}::timestamptz[])
        as u(id, number, subject, status, priority, category, channel, customer, team, queue, assignee, tags, created, updated, last_msg,
          last_cust, first_reply, solved, closed)`.execute(tx);
    await sql`insert into messages (workspace_id, case_id, visibility, author_type, author_agent_id, author_customer_id, channel, body_text, created_at)
      select ${workspaceId}::uuid, u.case_id, u.visibility, u.author_type, u.agent, u.customer, u.channel, u.body, u.created
      from unnest(${pgArray(m.case)}::uuid[], ${pgArray(m.visibility)}::text[], ${pgArray(m.authorType)}::text[], ${pgArray(m.agent)}::uuid[], ${pgArray(m.customer)}::uuid[],
        ${pgArray(m.channel)}::text[], ${pgArray(m.body)}::text[], ${pgArray(m.created)}::timestamptz[]) as u(case_id, visibility, author_type, agent, customer, channel, body, created)`.execute(
      tx,
    );
    await sql`insert into case_events (workspace_id, case_id, type, actor_type, actor_id, data, created_at)
      select ${workspaceId}::uuid, u.case_id, u.type, u.actor_type, u.actor, u.data::jsonb, u.created
      from unnest(${pgArray(e.case)}::uuid[], ${pgArray(e.type)}::text[], ${pgArray(e.actorType)}::text[], ${pgArray(e.actor)}::uuid[], ${pgArray(e.data)}::text[], ${pgArray(e.created)}::timestamptz[])
        as u(case_id, type, actor_type, actor, data, created)`.execute(tx);
  });
}
