import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor, AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { unprocessable, validationError } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { hashToken, randomToken } from '../../platform/tokens.js';
import { getAgentRow } from './agent-store.js';
import { API_TOKEN_PREFIX } from './authentication.js';
import type { IdempotencyRequest } from './db-errors.js';
import { insertApiToken, listApiTokenRows, revokeApiTokenRow } from './token-store.js';
import { apiTokenView, type ApiTokenView } from './views.js';

/** API tokens for integrations: each acts as one agent, with that agent's role. */

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function listApiTokens(
  db: Db,
  actor: Actor,
  query: { limit?: number; cursor?: string },
): Promise<{ data: ApiTokenView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
  if (after && (!CURSOR_TIME.test(after[0]) || !UUID.test(after[1]))) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  const page = pageOf(await listApiTokenRows(db, actor, { limit, after }), limit, (r) => [r.cursor_at, r.id]);
  return { data: page.data.map(apiTokenView), next_cursor: page.next_cursor };
}

export interface CreatedApiToken {
  api_token: ApiTokenView;
  /** The secret, shown once. A replay of the same Idempotency-Key gets null. */
  secret: string | null;
}

export async function createApiToken(
  db: Db,
  actor: AgentActor,
  input: { name: string; agent_id?: string; expires_at?: string },
  idempotency: IdempotencyRequest,
): Promise<{ statusCode: number; body: CreatedApiToken }> {
  authorize(actor, 'token.manage');
  const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
  if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
    throw unprocessable('api_token.expiry_in_past', 'The expiry must be in the future', { field: 'expires_at' });
  }
  let secret: string | undefined;
  const result = await withIdempotency(
    db,
    { workspaceId: actor.workspaceId, principal: `agent:${actor.agentId}`, key: idempotency.key, requestHash: idempotency.requestHash },
    async (tx) => {
      const agent = await getAgentRow(tx, actor, input.agent_id ?? actor.agentId, 'token.manage');
      if (agent.status !== 'active')
        throw unprocessable('api_token.agent_inactive', 'Tokens can only act as an active agent', { field: 'agent_id' });
      secret = `${API_TOKEN_PREFIX}${randomToken()}`;
      const row = await insertApiToken(tx, actor, {
        agentId: agent.id,
        name: input.name.trim(),
        tokenHash: hashToken(secret),
        tokenPrefix: secret.slice(0, 8),
        expiresAt,
      });
      await recordAudit(tx, actor, {
        action: 'api_token.created',
        targetType: 'api_token',
        targetId: row.id,
        details: { name: row.name, agent_id: agent.id },
      });
      // The stored idempotent response never holds the secret.
      return { statusCode: 201, body: { api_token: apiTokenView(row), secret: null } as CreatedApiToken };
    },
  );
  return { statusCode: result.statusCode, body: result.replayed ? result.body : { ...result.body, secret: secret ?? null } };
}

export async function revokeApiToken(db: Db, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { row, changed } = await revokeApiTokenRow(tx, actor, id);
    if (changed)
      await recordAudit(tx, actor, {
        action: 'api_token.revoked',
        targetType: 'api_token',
        targetId: id,
        details: { name: row.name, agent_id: row.agent_id },
      });
  });
}
