import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import type { AgentRole } from './schema.js';

/** SQL of agent_invitations. Tokens are stored as hashes only. */

export async function insertInvitation(
  tx: Db,
  actor: Actor & { kind: 'agent' },
  invitation: { agentId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  authorize(actor, 'agent.manage');
  await tx
    .insertInto('agent_invitations')
    .values({
      workspace_id: workspaceScope(actor),
      agent_id: invitation.agentId,
      token_hash: invitation.tokenHash,
      expires_at: invitation.expiresAt,
      created_by: actor.agentId,
    })
    .execute();
}

export interface InvitationRow {
  id: string;
  workspace_id: string;
  agent_id: string;
  expires_at: Date;
  accepted_at: Date | null;
  agent_status: 'invited' | 'active' | 'deactivated';
  agent_role: AgentRole;
}

/** Looked up by its token before any actor exists; `forUpdate` locks it against a second acceptance. */
export async function findInvitationByTokenHash(
  db: Db,
  tokenHash: string,
  options: { forUpdate?: boolean } = {},
): Promise<InvitationRow | undefined> {
  let query = db
    .selectFrom('agent_invitations as i')
    .innerJoin('agents as a', 'a.id', 'i.agent_id')
    .select(['i.id', 'i.workspace_id', 'i.agent_id', 'i.expires_at', 'i.accepted_at', 'a.status as agent_status', 'a.role as agent_role'])
    .where('i.token_hash', '=', tokenHash);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function markInvitationAccepted(tx: Db, actor: Actor, invitationId: string): Promise<void> {
  await tx
    .updateTable('agent_invitations')
    .set({ accepted_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', invitationId)
    .execute();
}
