import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import { recordCaseChanges, type CaseChange } from './case-events.js';
import { nextCaseNumber } from './case-numbers.js';
import { insertMessage } from './message-store.js';
import { attachToMessage, customerSummariesOf } from './people.js';
import type { MessageAuthor } from './post-message.js';
import { assertAssignable, findTeam, resolveRouting } from './references.js';
import { autoAssignee, routeByCategory } from './routing.js';
import type { CaseCategory, CasePriority, CaseStatus, CaseType, Channel, Visibility } from './schema.js';
import { insertCase, isUuid } from './store.js';
import { cleanBody, cleanSubject, cleanTags } from './text.js';
import { toCaseView, type CaseView } from './views.js';

export interface NewCaseMessage {
  bodyText: string;
  visibility?: Visibility | undefined;
  authorType?: 'customer' | 'agent' | undefined;
  metadata?: JsonObject | undefined;
  attachmentIds?: string[] | undefined;
}

export interface CreateCaseInput {
  customerId: string;
  subject: string;
  category?: CaseCategory | undefined;
  priority?: CasePriority | undefined;
  type?: CaseType | undefined;
  dueAt?: Date | null | undefined;
  channel: Channel;
  teamId?: string | null | undefined;
  queueId?: string | null | undefined;
  /** Omitted: the team's round-robin picks one when the team auto-assigns. null: leave unassigned. */
  assigneeId?: string | null | undefined;
  tags?: string[] | undefined;
  message: NewCaseMessage;
}

/** Who may open cases: agents (case.write), Baton itself, and a customer for themselves (web form). */
export function authorizeCaseCreation(actor: Actor, customerId: string): void {
  if (actor.kind === 'customer') {
    authorize(actor, 'webform.submit', { workspaceId: workspaceScope(actor), type: 'case' });
    if (actor.customerId !== customerId) throw notFound('customer');
    return;
  }
  authorize(actor, 'case.write', { workspaceId: workspaceScope(actor), type: 'case' });
}

/**
 * Who wrote the first message. It is the customer's request unless said otherwise; an internal
 * first note is the creating agent's (or Baton's).
 */
function firstMessageAuthor(actor: Actor, customerId: string, message: NewCaseMessage, visibility: Visibility): MessageAuthor {
  if (actor.kind === 'customer') {
    if (visibility !== 'public' || (message.authorType ?? 'customer') !== 'customer') {
      throw unprocessable('case.customer_message_public', 'A customer writes public messages only');
    }
    return { type: 'customer', agentId: null, customerId };
  }
  const type = message.authorType ?? (visibility === 'internal' ? (actor.kind === 'agent' ? 'agent' : 'system') : 'customer');
  if (type === 'customer') {
    if (visibility !== 'public') throw unprocessable('case.customer_message_public', 'A customer message cannot be an internal note');
    return { type: 'customer', agentId: null, customerId };
  }
  if (type === 'agent') {
    if (actor.kind !== 'agent') throw unprocessable('case.agent_author_required', 'Only an agent can write an agent message');
    return { type: 'agent', agentId: actor.agentId, customerId: null };
  }
  return { type: 'system', agentId: null, customerId: null };
}

/**
 * Opens a case with its first message in one transaction: number, routing (by category when no
 * team or queue is given), round-robin assignment, and the `created` / `message_added` /
 * `assigned` history.
 */
export async function createCase(db: Db, actor: Actor, input: CreateCaseInput): Promise<CaseView> {
  return (await createCaseWithMessage(db, actor, input)).case;
}

/** createCase, also telling the id of the first message (channels store per-message data with it). */
export async function createCaseWithMessage(db: Db, actor: Actor, input: CreateCaseInput): Promise<{ case: CaseView; messageId: string }> {
  authorizeCaseCreation(actor, input.customerId);
  const subject = cleanSubject(input.subject);
  const bodyText = cleanBody(input.message.bodyText);
  const tags = cleanTags(input.tags ?? []);
  const category = input.category ?? 'general';
  const visibility = input.message.visibility ?? 'public';
  const author = firstMessageAuthor(actor, input.customerId, input.message, visibility);

  return inTransaction(db, async (tx) => {
    const customers = isUuid(input.customerId) ? await customerSummariesOf(tx, actor, [input.customerId]) : new Map();
    if (!customers.has(input.customerId)) {
      throw unprocessable('case.unknown_customer', 'This customer does not exist in the workspace', { customer_id: input.customerId });
    }

    // A queue found by category was read from this workspace in this transaction with its team:
    // only a team or queue given by the caller needs checking.
    const byCategory = input.teamId == null && input.queueId == null ? await routeByCategory(tx, actor, category) : null;
    const routing =
      byCategory ?? (await resolveRouting(tx, actor, { teamId: null, queueId: null }, { teamId: input.teamId, queueId: input.queueId }));

    let assigneeId = input.assigneeId ?? null;
    let autoAssigned = false;
    if (assigneeId !== null) {
      await assertAssignable(tx, actor, assigneeId);
    } else if (
      input.assigneeId === undefined &&
      routing.teamId !== null &&
      // Routed by category, the team's setting came with its queue.
      (byCategory ? byCategory.teamAutoAssigns : (await findTeam(tx, actor, routing.teamId))?.auto_assign)
    ) {
      assigneeId = await autoAssignee(tx, workspaceScope(actor), routing.teamId);
      autoAssigned = assigneeId !== null;
    }

    const agentReplied = author.type === 'agent' && visibility === 'public';
    const status: CaseStatus = agentReplied ? 'open' : 'new';
    const number = await nextCaseNumber(tx, workspaceScope(actor));
    const row = await insertCase(tx, {
      workspace_id: workspaceScope(actor),
      number,
      subject,
      status,
      priority: input.priority ?? 'normal',
      category,
      type: input.type ?? 'question',
      due_at: input.dueAt ?? null,
      channel: input.channel,
      customer_id: input.customerId,
      team_id: routing.teamId,
      queue_id: routing.queueId,
      assignee_id: assigneeId,
      tags,
      last_customer_message_at: author.type === 'customer' ? 'now' : null,
      first_agent_reply_at: agentReplied ? 'now' : null,
    });
    const message = await insertMessage(tx, actor, {
      caseId: row.id,
      visibility,
      authorType: author.type,
      authorAgentId: author.agentId,
      authorCustomerId: author.customerId,
      channel: visibility === 'internal' ? 'internal' : input.channel,
      bodyText,
      metadata: input.message.metadata,
    });
    await attachToMessage(tx, actor, input.message.attachmentIds, message.id);

    const history: CaseChange[] = [
      {
        caseId: row.id,
        type: 'created',
        data: {
          number,
          subject,
          status,
          priority: row.priority,
          category,
          type: row.type,
          due_at: row.due_at?.toISOString() ?? null,
          channel: row.channel,
          customer_id: row.customer_id,
          team_id: row.team_id,
          queue_id: row.queue_id,
          tags,
        },
      },
      {
        caseId: row.id,
        type: 'message_added',
        // opened_case: listeners that treat a case's first message apart need not read the case.
        data: {
          message_id: message.id,
          visibility,
          author_type: author.type,
          channel: message.channel,
          opened_case: true,
          has_files: (input.message.attachmentIds?.length ?? 0) > 0,
        },
      },
    ];
    if (assigneeId !== null) history.push({ caseId: row.id, type: 'assigned', data: { from: null, to: assigneeId, auto: autoAssigned } });
    await recordCaseChanges(tx, actor, history);
    return { case: await toCaseView(tx, actor, row, { customers, newCases: true }), messageId: message.id };
  });
}
