import type { Db } from '../db/database.js';
import { actorRef, type Actor } from './actor.js';
import type { JsonObject } from './schema.js';

/** Appends to the audit log (append-only in the database) in the caller's transaction. */
export async function recordAudit(
  tx: Db,
  actor: Actor,
  entry: { action: string; targetType: string; targetId: string | null; details?: JsonObject },
): Promise<void> {
  const ref = actorRef(actor);
  await tx
    .insertInto('audit_log')
    .values({
      workspace_id: actor.workspaceId,
      actor_type: ref.actor_type,
      actor_id: ref.actor_id,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
