import type { AgentActor } from '../../platform/actor.js';
import { hashToken } from '../../platform/tokens.js';
import type { Db } from '../../db/database.js';

export const SESSION_COOKIE = 'baton_session';
/** Sessions slide: each use extends them up to this idle lifetime. */
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
/** API tokens look like `btn_<43 base64url chars>`; the prefix makes leaked tokens greppable. */
export const API_TOKEN_PREFIX = 'btn_';

export interface SessionAuthentication {
  actor: AgentActor;
  sessionId: string;
  csrfToken: string;
}

/** Resolves a session cookie to an active agent, or null (unknown, expired, deactivated). */
export async function authenticateSession(db: Db, cookieToken: string): Promise<SessionAuthentication | null> {
  if (cookieToken.length < 20 || cookieToken.length > 200) return null;
  const row = await db
    .selectFrom('agent_sessions as s')
    .innerJoin('agents as a', 'a.id', 's.agent_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'a.id as agent_id',
      'a.workspace_id',
      'a.role',
      'a.status',
    ])
    .where('s.token_hash', '=', hashToken(cookieToken))
    .executeTakeFirst();
  if (!row || row.status !== 'active' || row.expires_at.getTime() <= Date.now()) return null;
  // Touch at most once a minute: a busy agent must not write on every request.
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('agent_sessions')
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + SESSION_IDLE_MS) })
      .where('id', '=', row.session_id)
      .execute();
  }
  return {
    actor: { kind: 'agent', workspaceId: row.workspace_id, agentId: row.agent_id, role: row.role, via: 'session' },
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
  };
}

/** Resolves a bearer API token to the agent it acts as, or null (unknown, revoked, expired, deactivated). */
export async function authenticateApiToken(db: Db, bearer: string): Promise<AgentActor | null> {
  if (!bearer.startsWith(API_TOKEN_PREFIX) || bearer.length > 200) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('agents as a', 'a.id', 't.agent_id')
    .select([
      't.id as token_id',
      't.revoked_at',
      't.expires_at',
      't.last_used_at',
      'a.id as agent_id',
      'a.workspace_id',
      'a.role',
      'a.status',
    ])
    .where('t.token_hash', '=', hashToken(bearer))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.status !== 'active') return null;
  if (row.expires_at !== null && row.expires_at.getTime() <= Date.now()) return null;
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.token_id).execute();
  }
  return { kind: 'agent', workspaceId: row.workspace_id, agentId: row.agent_id, role: row.role, via: 'token' };
}
