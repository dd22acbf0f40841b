import { inTransaction, type Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { listCases, OPEN_STATUSES } from '../cases/listing.js';
import { startClocksOfCase } from './case-listener.js';

/**
 * Starts SLA clocks for the open cases of a workspace that have none yet (cases from before its
 * first policy, or demo data whose events were settled as history). `history`: warnings and
 * breaches already past are recorded as having happened, without escalations. Returns how many
 * cases got clocks.
 */
export async function startClocksForOpenCases(
  db: Db,
  workspaceId: string,
  options: { history?: boolean; now?: Date } = {},
): Promise<number> {
  const actor = systemActor(workspaceId, 'sla clocks');
  const now = options.now ?? new Date();
  let started = 0;
  let cursor: string | undefined;
  do {
    const page = await listCases(db, actor, { filters: { status: OPEN_STATUSES }, sort: 'created_asc', limit: 100, cursor });
    for (const row of page.data) {
      const clocks = await inTransaction(db, async (tx) => {
        const result = await startClocksOfCase(tx, actor, row.id, now);
        if (result && options.history) await result.settlePast(now);
        return result;
      });
      if (clocks) started++;
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return started;
}
