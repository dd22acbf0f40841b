import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError, unprocessable } from '../../../platform/errors.js';
import { getTeam } from '../../agents/service.js';

/** A mailbox may route new cases only to a team of its own workspace. */
export async function assertTeamOfWorkspace(db: Db, actor: Actor, teamId: string): Promise<void> {
  try {
    await getTeam(db, actor, teamId);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') {
      throw unprocessable('mailbox.unknown_team', 'This team does not exist in this workspace', { field: 'team_id' });
    }
    throw error;
  }
}
