import { sql } from 'kysely';
import { inTransaction, type Db } from '../../../db/database.js';
import { decodeCursor, pageOf } from '../../../http/pagination.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { notFound, unprocessable, validationError } from '../../../platform/errors.js';
import { getCaseNumbers } from '../../cases/service.js';
import { INBOUND_MAIL_CHANNEL } from '../intake-store.js';
import type { InboundMailStatus } from '../schema.js';
import { headerBlock, peekHeaders } from './header-peek.js';
import {
  lockInboundMail,
  resetInboundMail,
  selectInboundMail,
  selectInboundMailPage,
  selectInboundRaw,
  type InboundMailListRow,
} from './problem-mail-store.js';
import type { InboundMailDetail, InboundMailView } from './views.js';

/**
 * The problem-mail view (admins and supervisors): what intake received, why a message was
 * quarantined or ignored, its raw bytes, and "process it again".
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPROCESSABLE: InboundMailStatus[] = ['quarantined', 'ignored'];

function authorizeInboundMail(actor: Actor): void {
  authorize(actor, 'inbound_mail.manage', { workspaceId: workspaceScope(actor), type: 'inbound_mail' });
}

function toView(row: InboundMailListRow, numbers: ReadonlyMap<string, number>): InboundMailView {
  const peek = row.head ? peekHeaders(row.head) : null;
  return {
    id: row.id,
    mailbox_id: row.mailbox_id,
    mailbox_address: row.mailbox_address,
    source: row.source,
    status: row.status,
    reason_code: row.reason_code,
    reason: row.reason,
    from_address: row.from_address ?? peek?.from ?? null,
    subject: row.subject ?? peek?.subject ?? null,
    message_id_header: row.message_id_header ?? peek?.messageId ?? null,
    size_bytes: row.size_bytes,
    case_id: row.case_id,
    case_number: row.case_id ? (numbers.get(row.case_id) ?? null) : null,
    attempts: row.attempts,
    received_at: row.received_at.toISOString(),
    processed_at: row.processed_at?.toISOString() ?? null,
    auth_results: row.auth_results,
  };
}

async function caseNumbersOf(db: Db, actor: Actor, rows: InboundMailListRow[]): Promise<Map<string, number>> {
  const ids = rows.map((r) => r.case_id).filter((id): id is string => id !== null);
  return ids.length > 0 ? getCaseNumbers(db, actor, ids) : new Map();
}

export async function listInboundMail(
  db: Db,
  actor: Actor,
  query: { status?: InboundMailStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
): Promise<{ items: InboundMailView[]; next_cursor: string | null }> {
  authorizeInboundMail(actor);
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const cursor = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  if (cursor && (!Number.isSafeInteger(cursor[0]) || !UUID.test(cursor[1]))) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  const rows = await selectInboundMailPage(db, actor, {
    status: query.status,
    limit: limit + 1,
    after: cursor ? { receivedUs: cursor[0], id: cursor[1] } : undefined,
  });
  const page = pageOf(rows, limit, (r) => [r.received_us, r.id]);
  const numbers = await caseNumbersOf(db, actor, page.data);
  return { items: page.data.map((r) => toView(r, numbers)), next_cursor: page.next_cursor };
}

export async function getInboundMail(db: Db, actor: Actor, id: string): Promise<InboundMailDetail> {
  authorizeInboundMail(actor);
  const row = UUID.test(id) ? await selectInboundMail(db, actor, id) : undefined;
  if (!row) throw notFound('inbound_mail');
  const numbers = await caseNumbersOf(db, actor, [row]);
  return { ...toView(row, numbers), headers: headerBlock(row.headerBytes, 100) };
}

/** The raw message as received, for download. */
export async function getInboundMailRaw(db: Db, actor: Actor, id: string): Promise<{ raw: Buffer; filename: string }> {
  authorizeInboundMail(actor);
  const row = UUID.test(id) ? await selectInboundRaw(db, actor, id) : undefined;
  if (!row) throw notFound('inbound_mail');
  return { raw: row.raw, filename: `message-${id}.eml` };
}

/**
 * Puts a quarantined or ignored message back in the queue (after a limit was raised or a bug
 * fixed). Audited; the processor is woken at commit.
 */
export async function reprocessInboundMail(db: Db, actor: Actor, id: string): Promise<{ id: string; status: 'received' }> {
  authorizeInboundMail(actor);
  if (!UUID.test(id)) throw notFound('inbound_mail');
  return inTransaction(db, async (tx) => {
    const row = await lockInboundMail(tx, actor, id);
    if (!row) throw notFound('inbound_mail');
    if (!REPROCESSABLE.includes(row.status)) {
      throw unprocessable(
        'inbound_mail.not_reprocessable',
        `Only quarantined or ignored mail can be processed again; this one is ${row.status}`,
        {
          status: row.status,
        },
      );
    }
    await resetInboundMail(tx, actor, id);
    await recordAudit(tx, actor, {
      action: 'inbound_mail.reprocess',
      targetType: 'inbound_mail',
      targetId: id,
      details: { from_status: row.status },
    });
    await sql`select pg_notify(${INBOUND_MAIL_CHANNEL}, '')`.execute(tx);
    return { id, status: 'received' as const };
  });
}
