import type { Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import type { JsonObject } from '../../platform/schema.js';
import { listAuditRows } from './audit-store.js';

export interface AuditEntryView {
  id: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: JsonObject;
  created_at: string;
}

/** The workspace's audit log, newest first (supervisors and admins). */
export async function listAuditLog(
  db: Db,
  actor: Actor,
  query: { action?: string; target_type?: string; target_id?: string; limit?: number; cursor?: string },
): Promise<{ data: AuditEntryView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 50;
  const cursor = decodeCursor(query.cursor, ['number']);
  const rows = await listAuditRows(db, actor, {
    action: query.action,
    targetType: query.target_type,
    targetId: query.target_id,
    limit,
    beforeId: cursor ? (cursor[0] as number) : undefined,
  });
  const page = pageOf(rows, limit, (r) => [Number(r.id)]);
  return {
    data: page.data.map((r) => ({
      id: Number(r.id),
      actor_type: r.actor_type,
      actor_id: r.actor_id,
      action: r.action,
      target_type: r.target_type,
      target_id: r.target_id,
      details: r.details,
      created_at: r.created_at.toISOString(),
    })),
    next_cursor: page.next_cursor,
  };
}
