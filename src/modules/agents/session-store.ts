import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { WorkspaceSummary } from './views.js';

/** SQL of agent_sessions (rows are created at login, before any actor exists). */

export async function insertSession(
  db: Db,
  session: {
    workspaceId: string;
    agentId: string;
    tokenHash: string;
    csrfToken: string;
    ip: string | null;
    userAgent: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('agent_sessions')
    .values({
      workspace_id: session.workspaceId,
      agent_id: session.agentId,
      token_hash: session.tokenHash,
      csrf_token: session.csrfToken,
      ip: session.ip,
      user_agent: session.userAgent,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The CSRF token of the actor's own session. */
export async function sessionCsrfToken(db: Db, actor: Actor & { kind: 'agent' }, sessionId: string): Promise<string> {
  authorize(actor, 'agent.read');
  const row = await db
    .selectFrom('agent_sessions')
    .select('csrf_token')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('agent_id', '=', actor.agentId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!row) throw notFound('session');
  return row.csrf_token;
}

export async function deleteOwnSession(db: Db, actor: Actor & { kind: 'agent' }, sessionId: string): Promise<void> {
  await db
    .deleteFrom('agent_sessions')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('agent_id', '=', actor.agentId)
    .where('id', '=', sessionId)
    .execute();
}

/** Signs an agent out everywhere (deactivation), or everywhere but one session (password change). */
export async function deleteSessionsOfAgent(tx: Db, actor: Actor, agentId: string, exceptSessionId?: string): Promise<void> {
  let query = tx.deleteFrom('agent_sessions').where('workspace_id', '=', workspaceScope(actor)).where('agent_id', '=', agentId);
  if (exceptSessionId) query = query.where('id', '<>', exceptSessionId);
  await query.execute();
}

export async function countLiveSessions(db: Db, actor: Actor, agentId: string): Promise<number> {
  const row = await db
    .selectFrom('agent_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('agent_id', '=', agentId)
    .where('expires_at', '>', new Date())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The workspace an agent belongs to, for the session response. The workspaces module has no
 * read function yet; this is the one place the agents module reads its table.
 */
export async function workspaceSummary(db: Db, workspaceId: string): Promise<WorkspaceSummary> {
  const row = await db.selectFrom('workspaces').select(['id', 'name', 'slug']).where('id', '=', workspaceId).executeTakeFirst();
  if (!row) throw notFound('workspace');
  return row;
}
