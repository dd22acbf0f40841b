import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { ApiTokenRow } from './views.js';

/** SQL of api_tokens. Secrets are stored as hashes; only the prefix is kept readable. */

const TOKEN_COLUMNS = [
  'id',
  'name',
  'agent_id',
  'token_prefix',
  'created_by',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
] as const;

/**
 * Newest first. The cursor keeps created_at at microsecond precision (a JS Date would cut it to
 * milliseconds and skip rows created within the same millisecond).
 */
export async function listApiTokenRows(
  db: Db,
  actor: Actor,
  page: { limit: number; after?: [string, string] },
): Promise<(ApiTokenRow & { cursor_at: string })[]> {
  authorize(actor, 'token.manage');
  let query = db
    .selectFrom('api_tokens')
    .select([...TOKEN_COLUMNS, sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at')])
    .where('workspace_id', '=', workspaceScope(actor));
  if (page.after) {
    const [createdAt, id] = page.after;
    query = query.where(sql<boolean>`(created_at, id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export async function insertApiToken(
  tx: Db,
  actor: Actor & { kind: 'agent' },
  token: { agentId: string; name: string; tokenHash: string; tokenPrefix: string; expiresAt: Date | null },
): Promise<ApiTokenRow> {
  authorize(actor, 'token.manage');
  return tx
    .insertInto('api_tokens')
    .values({
      workspace_id: workspaceScope(actor),
      agent_id: token.agentId,
      name: token.name,
      token_hash: token.tokenHash,
      token_prefix: token.tokenPrefix,
      created_by: actor.agentId,
      expires_at: token.expiresAt,
    })
    .returning(TOKEN_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Revokes once: a second revocation keeps the first time. */
export async function revokeApiTokenRow(tx: Db, actor: Actor, id: string): Promise<{ row: ApiTokenRow; changed: boolean }> {
  authorize(actor, 'token.manage');
  const current = await tx
    .selectFrom('api_tokens')
    .select(TOKEN_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw notFound('api_token');
  if (current.revoked_at !== null) return { row: current, changed: false };
  const row = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning(TOKEN_COLUMNS)
    .executeTakeFirstOrThrow();
  return { row, changed: true };
}

/** Deactivation revokes every live token acting as the agent. */
export async function revokeTokensOfAgent(tx: Db, actor: Actor, agentId: string): Promise<number> {
  authorize(actor, 'agent.manage');
  const rows = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}
