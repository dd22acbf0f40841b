import { inTransaction, type Db } from '../../../db/database.js';
import { decodeCursor, encodeCursor } from '../../../http/pagination.js';
import type { AgentActor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, can, workspaceScope } from '../../../platform/authorization.js';
import { AppError, forbidden, notFound, unprocessable, validationError } from '../../../platform/errors.js';
import { enqueueJob } from '../../../platform/jobs.js';
import { getCase } from '../../cases/service.js';
import { describeAttachments } from '../../files/service.js';
import type { OutboundMailKind, OutboundMailStatus } from '../schema.js';
import { MAX_SEND_ATTEMPTS, SEND_QUEUE } from './queue.js';
import { getOutboundMailRaw, getOutboundMailRow, listOutboundMailRows, requeueFailed } from './store.js';
import { outboundMailView, type OutboundMailDetail, type OutboundMailView } from './views.js';

/**
 * The sent-mail viewer. Who sees what: admins and supervisors (`outbound_mail.read_all`) every
 * mail of the workspace; agents the mail of cases they may read, listed one case at a time
 * (case_id is required for them), and of notifications only their own. Retrying is for admins.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OutboundMailQuery {
  caseId?: string | undefined;
  status?: OutboundMailStatus | undefined;
  kind?: OutboundMailKind | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const readsAll = (actor: AgentActor) => can(actor, 'outbound_mail.read_all', { workspaceId: workspaceScope(actor), type: 'outbound_mail' });

/** The case must be readable by the agent; anything else is the mail's (or the case's) 404. */
async function assertCaseVisible(db: Db, actor: AgentActor, caseId: string, notFoundAs: string): Promise<void> {
  try {
    await getCase(db, actor, caseId);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') throw notFound(notFoundAs);
    throw error;
  }
}

export async function listOutboundMail(
  db: Db,
  actor: AgentActor,
  query: OutboundMailQuery,
): Promise<{ items: OutboundMailView[]; next_cursor: string | null }> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'outbound_mail' });
  const all = readsAll(actor);
  if (!all) {
    if (!query.caseId) throw forbidden('outbound_mail.case_required', 'Agents list sent mail per case: pass case_id');
    await assertCaseVisible(db, actor, query.caseId, 'case');
  }
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  if (after && (!Number.isSafeInteger(after[0]) || !UUID.test(after[1]))) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  const rows = await listOutboundMailRows(db, workspaceScope(actor), {
    caseId: query.caseId,
    status: query.status,
    kind: query.kind,
    hideNotificationsExceptFor: all ? undefined : actor.agentId,
    limit: limit + 1,
    before: after ? { createdUs: after[0], id: after[1] } : undefined,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(outboundMailView),
    next_cursor: rows.length > limit && last ? encodeCursor([last.created_us, last.id]) : null,
  };
}

async function loadVisible(db: Db, actor: AgentActor, id: string) {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'outbound_mail' });
  const row = UUID.test(id) ? await getOutboundMailRow(db, workspaceScope(actor), id) : undefined;
  if (!row) throw notFound('outbound_mail');
  if (readsAll(actor)) return row;
  if (!row.case_id || (row.kind === 'notification' && row.recipient_agent_id !== actor.agentId)) throw notFound('outbound_mail');
  await assertCaseVisible(db, actor, row.case_id, 'outbound_mail');
  return row;
}

export async function getOutboundMail(db: Db, actor: AgentActor, id: string): Promise<OutboundMailDetail> {
  const row = await loadVisible(db, actor, id);
  const files = await describeAttachments(db, workspaceScope(actor), row.attachment_ids);
  return {
    ...outboundMailView(row),
    body_text: row.body_text,
    body_html: row.body_html,
    attachments: files.map((f) => ({ filename: f.filename, size: f.size_bytes })),
  };
}

/** The stored message, byte for byte; 404 `outbound_mail.not_composed` while it has not been built (queued, suppressed). */
export async function getOutboundMailRawMessage(db: Db, actor: AgentActor, id: string): Promise<Buffer> {
  const row = await loadVisible(db, actor, id);
  const raw = await getOutboundMailRaw(db, workspaceScope(actor), row.id);
  if (!raw)
    throw new AppError('not_found', 'outbound_mail.not_composed', 'This mail has not been composed (yet): there is no message to download');
  return raw;
}

/** failed -> queued again (the same stored message), with a new send job; audited. */
export async function retryOutboundMail(db: Db, actor: AgentActor, id: string): Promise<OutboundMailView> {
  authorize(actor, 'outbound_mail.retry', { workspaceId: workspaceScope(actor), type: 'outbound_mail' });
  if (!UUID.test(id)) throw notFound('outbound_mail');
  return inTransaction(db, async (tx) => {
    const exists = await getOutboundMailRow(tx, workspaceScope(actor), id);
    if (!exists) throw notFound('outbound_mail');
    const previous = await requeueFailed(tx, workspaceScope(actor), id);
    if (!previous) {
      throw unprocessable('outbound_mail.not_failed', `Only failed mail can be retried; this one is ${exists.status}`, {
        status: exists.status,
      });
    }
    await enqueueJob(tx, SEND_QUEUE, { outbound_mail_id: id }, { maxAttempts: MAX_SEND_ATTEMPTS + 1 });
    await recordAudit(tx, actor, {
      action: 'outbound_mail.retried',
      targetType: 'outbound_mail',
      targetId: id,
      details: { previous_attempts: previous.attempts, previous_error: previous.last_error },
    });
    return outboundMailView((await getOutboundMailRow(tx, workspaceScope(actor), id))!);
  });
}
