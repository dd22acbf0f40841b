import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { unprocessable } from '../../platform/errors.js';
import { recordCaseChange } from './case-events.js';
import { agentNamesOf } from './people.js';
import { assertAgentInWorkspace } from './references.js';
import { deleteFollower, followerIdsOf, insertFollower, isUuid, loadCase } from './store.js';
import type { PersonRef } from './views.js';

/** Followers are agents kept informed about a case they are not assigned to. */

async function followersOf(tx: Db, actor: Actor, caseId: string): Promise<PersonRef[]> {
  const ids = (await followerIdsOf(tx, actor, [caseId])).get(caseId) ?? [];
  const names = await agentNamesOf(tx, actor, ids);
  return ids.map((id) => names.get(id) ?? { id, name: '' });
}

/** Adds a follower (the acting agent when none is named); following twice is a no-op. Returns the followers. */
export async function followCase(db: Db, actor: Actor, caseId: string, agentId?: string): Promise<PersonRef[]> {
  return inTransaction(db, async (tx) => {
    const row = await loadCase(tx, actor, caseId, 'case.write');
    const follower = agentId ?? (actor.kind === 'agent' ? actor.agentId : undefined);
    if (!follower) throw unprocessable('case.follower_required', 'Name the agent who follows the case');
    await assertAgentInWorkspace(tx, actor, follower);
    if (await insertFollower(tx, actor, row.id, follower)) {
      await recordCaseChange(tx, actor, { caseId: row.id, type: 'follower_added', data: { agent_id: follower } });
    }
    return followersOf(tx, actor, row.id);
  });
}

/** Removes a follower; removing someone who does not follow is a no-op. Returns the followers. */
export async function unfollowCase(db: Db, actor: Actor, caseId: string, agentId?: string): Promise<PersonRef[]> {
  return inTransaction(db, async (tx) => {
    const row = await loadCase(tx, actor, caseId, 'case.write');
    const follower = agentId ?? (actor.kind === 'agent' ? actor.agentId : undefined);
    if (!follower) throw unprocessable('case.follower_required', 'Name the agent who stops following the case');
    if (isUuid(follower) && (await deleteFollower(tx, actor, row.id, follower))) {
      await recordCaseChange(tx, actor, { caseId: row.id, type: 'follower_removed', data: { agent_id: follower } });
    }
    return followersOf(tx, actor, row.id);
  });
}
