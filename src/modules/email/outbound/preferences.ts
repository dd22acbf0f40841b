import type { Db } from '../../../db/database.js';
import type { AgentActor } from '../../../platform/actor.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';

/** Which notification emails an agent wants (agent_email_preferences; no row means both on). */

export interface EmailPreferences {
  on_assignment: boolean;
  on_customer_reply: boolean;
}

const DEFAULTS: EmailPreferences = { on_assignment: true, on_customer_reply: true };

/** For listeners (no signed-in agent): the preferences of one agent of the workspace. */
export async function readEmailPreferences(db: Db, workspaceId: string, agentId: string): Promise<EmailPreferences> {
  const row = await db
    .selectFrom('agent_email_preferences')
    .select(['on_assignment', 'on_customer_reply'])
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return row ?? { ...DEFAULTS };
}

/** The signed-in agent's own preferences. */
export async function getMyEmailPreferences(db: Db, actor: AgentActor): Promise<EmailPreferences> {
  authorize(actor, 'agent.read', { workspaceId: workspaceScope(actor), type: 'agent' });
  return readEmailPreferences(db, workspaceScope(actor), actor.agentId);
}

/** Changes the signed-in agent's own preferences; fields left out keep their value (one upsert, no lost update). */
export async function updateMyEmailPreferences(db: Db, actor: AgentActor, changes: Partial<EmailPreferences>): Promise<EmailPreferences> {
  authorize(actor, 'agent.read', { workspaceId: workspaceScope(actor), type: 'agent' });
  const given: Partial<EmailPreferences> = {};
  if (changes.on_assignment !== undefined) given.on_assignment = changes.on_assignment;
  if (changes.on_customer_reply !== undefined) given.on_customer_reply = changes.on_customer_reply;
  return db
    .insertInto('agent_email_preferences')
    .values({ agent_id: actor.agentId, workspace_id: workspaceScope(actor), ...DEFAULTS, ...given })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ ...given, updated_at: new Date() }))
    .returning(['on_assignment', 'on_customer_reply'])
    .executeTakeFirstOrThrow();
}
