import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { conflict } from '../../platform/errors.js';
import { hashPassword } from './passwords.js';
import type { AgentRole } from './schema.js';

/**
 * Creates an active agent with a password, without an invitation. Used by installation-level
 * code (demo data, the create-admin command) acting as the system; agents invite each other
 * through invitations.ts.
 */
export async function provisionAgent(
  db: Db,
  actor: Actor,
  input: { email: string; name: string; role: AgentRole; password: string; capacity?: number; presence?: 'online' | 'away' | 'offline' },
): Promise<{ id: string; email: string }> {
  authorize(actor, 'agent.manage');
  const email = input.email.trim().toLowerCase();
  const existing = await db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw conflict('agent.email_taken', `An agent with the email ${email} already exists`);
  const passwordHash = await hashPassword(input.password);
  const row = await db
    .insertInto('agents')
    .values({
      workspace_id: actor.workspaceId,
      email,
      name: input.name,
      role: input.role,
      status: 'active',
      password_hash: passwordHash,
      capacity: input.capacity ?? 20,
      presence: input.presence ?? 'offline',
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'agent.provisioned',
    targetType: 'agent',
    targetId: row.id,
    details: { email, role: input.role },
  });
  return row;
}
