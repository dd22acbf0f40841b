import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { resolveQueueForCategory } from '../agents/service.js';
import { pickAssignee } from '../assignment/round-robin.js';
import type { CaseCategory } from './schema.js';

/** Where a new case goes when nobody chose: the queue serving its category, and the team's round-robin. */

export async function routeByCategory(
  db: Db,
  actor: Actor,
  category: CaseCategory,
): Promise<{ teamId: string; queueId: string; teamAutoAssigns: boolean } | null> {
  return resolveQueueForCategory(db, actor, category);
}

export async function autoAssignee(db: Db, workspaceId: string, teamId: string): Promise<string | null> {
  return pickAssignee(db, workspaceId, teamId);
}
