import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { hashToken, randomToken } from '../../platform/tokens.js';
import { insertInvitedAgent, isEmailTaken, updateAgentRow } from './agent-store.js';
import { isUniqueViolation, type IdempotencyRequest } from './db-errors.js';
import { findInvitationByTokenHash, insertInvitation, markInvitationAccepted } from './invitation-store.js';
import { hashPassword } from './passwords.js';
import type { AgentRole } from './schema.js';
import { normalizeEmail, startSession, throttle, type ClientInfo, type StartedSession } from './sessions.js';
import { agentView, type AgentView } from './views.js';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,200}$/;

export interface InvitationResult {
  agent: AgentView;
  /** Holds the secret token: returned once. A replay of the same Idempotency-Key gets null. */
  invite_url: string | null;
}

export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/app/accept-invite?token=${encodeURIComponent(token)}`;
}

export async function inviteAgent(
  db: Db,
  actor: AgentActor,
  input: { email: string; name: string; role: AgentRole },
  options: { publicUrl: string; idempotency: IdempotencyRequest },
): Promise<{ statusCode: number; body: InvitationResult }> {
  authorize(actor, 'agent.manage');
  const email = normalizeEmail(input.email);
  const emailTaken = () => conflict('agent.email_taken', 'An agent with this email already exists', { field: 'email' });
  let url: string | undefined;
  try {
    const result = await withIdempotency(
      db,
      {
        workspaceId: actor.workspaceId,
        principal: `agent:${actor.agentId}`,
        key: options.idempotency.key,
        requestHash: options.idempotency.requestHash,
      },
      async (tx) => {
        if (await isEmailTaken(tx, email)) throw emailTaken();
        const agent = await insertInvitedAgent(tx, actor, { email, name: input.name.trim(), role: input.role });
        const token = randomToken();
        await insertInvitation(tx, actor, {
          agentId: agent.id,
          tokenHash: hashToken(token),
          expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
        });
        await recordAudit(tx, actor, {
          action: 'agent.invited',
          targetType: 'agent',
          targetId: agent.id,
          details: { email, role: input.role },
        });
        url = inviteUrl(options.publicUrl, token);
        // The stored idempotent response never holds the secret.
        return { statusCode: 201, body: { agent: agentView(agent), invite_url: null } as InvitationResult };
      },
    );
    return { statusCode: result.statusCode, body: result.replayed ? result.body : { ...result.body, invite_url: url ?? null } };
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

const invitationExpired = () => new AppError('gone', 'invitation.expired', 'This invitation has expired; ask an admin to invite you again');

/**
 * Sets the password, activates the agent and signs them in. A used, forged or cancelled token
 * answers 404; an expired one 410.
 */
export async function acceptInvitation(db: Db, input: { token: string; password: string }, client: ClientInfo): Promise<StartedSession> {
  await throttle(db, { bucket: `invitation:ip:${client.ip}`, limit: 20, windowSeconds: 15 * 60 }, 'invitation.too_many_attempts');
  if (!TOKEN_SHAPE.test(input.token)) throw notFound('invitation');
  const tokenHash = hashToken(input.token);
  const usable = async (tx: Db) => {
    const invitation = await findInvitationByTokenHash(tx, tokenHash, { forUpdate: tx.isTransaction });
    if (!invitation || invitation.accepted_at !== null || invitation.agent_status !== 'invited') throw notFound('invitation');
    if (invitation.expires_at.getTime() <= Date.now()) throw invitationExpired();
    return invitation;
  };
  // Cheap checks first: argon2 runs only for a real invitation, and outside the row locks.
  await usable(db);
  const passwordHash = await hashPassword(input.password);
  const agent = await inTransaction(db, async (tx) => {
    const invitation = await usable(tx);
    const self: AgentActor = {
      kind: 'agent',
      workspaceId: invitation.workspace_id,
      agentId: invitation.agent_id,
      role: invitation.agent_role,
      via: 'session',
    };
    await markInvitationAccepted(tx, self, invitation.id);
    const activated = await updateAgentRow(tx, self, invitation.agent_id, 'agent.read', { status: 'active', password_hash: passwordHash });
    await recordAudit(tx, self, { action: 'agent.invitation_accepted', targetType: 'agent', targetId: activated.id });
    return activated;
  });
  return startSession(db, agent, client);
}
