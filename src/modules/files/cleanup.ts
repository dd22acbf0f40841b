import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { removeContentIfUntouched } from './storage.js';

export const UNATTACHED_CLEANUP_QUEUE = 'files.cleanup_unattached';
const DAY = 86_400_000;

/**
 * Uploads that never became part of a message (an agent who uploaded and did not send, a web
 * form whose transaction failed) are removed after a day, and so are the stored files no
 * attachment refers to any more. Runs daily as a durable job.
 */
export async function cleanupUnattachedFiles(ctx: AppContext, now = new Date()): Promise<{ rows: number; files: number }> {
  const cutoff = new Date(now.getTime() - DAY);
  const deleted = await sql<{ sha256: string }>`
    delete from attachments where message_id is null and created_at < ${cutoff} returning sha256`.execute(ctx.db);
  const candidates = [...new Set(deleted.rows.map((r) => r.sha256))];
  if (candidates.length === 0) return { rows: 0, files: 0 };
  const stillUsed = await ctx.db.selectFrom('attachments').select('sha256').distinct().where('sha256', 'in', candidates).execute();
  const used = new Set(stillUsed.map((r) => r.sha256));
  let files = 0;
  for (const sha of candidates) {
    if (!used.has(sha) && (await removeContentIfUntouched(ctx.filesDir, sha, cutoff))) files++;
  }
  return { rows: deleted.rows.length, files };
}

export function unattachedCleanupJob(ctx: AppContext): JobHandler {
  return {
    queue: UNATTACHED_CLEANUP_QUEUE,
    async run(_payload, db) {
      await cleanupUnattachedFiles(ctx);
      const next = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
      await enqueueJob(db, UNATTACHED_CLEANUP_QUEUE, {}, { runAt: next, singletonKey: next.toISOString() });
    },
  };
}

export async function scheduleUnattachedCleanup(ctx: AppContext): Promise<void> {
  const at = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
  await enqueueJob(ctx.db, UNATTACHED_CLEANUP_QUEUE, {}, { runAt: at, singletonKey: at.toISOString() });
}
