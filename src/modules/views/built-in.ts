import type { CaseFilterParams, CaseSort } from '../cases/listing-filters.js';
import { OPEN_STATUSES } from '../cases/listing.js';

/**
 * The views every agent has without saving anything. They are computed per agent ('me'), per
 * team and per queue; their ids are stable keys (`my_open`, `team:<uuid>`), not rows.
 */
export interface BuiltInView {
  id: string;
  name: string;
  filters: CaseFilterParams;
  sort: CaseSort;
}

const OPEN = OPEN_STATUSES.join(',');
/** How far back "recently solved" reaches. */
export const RECENTLY_SOLVED_DAYS = 7;

export const BUILT_IN_KEY =
  /^(my_open|unassigned|all_open|recently_solved|(team|queue):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const myOpen = (): BuiltInView => ({
  id: 'my_open',
  name: 'My open cases',
  filters: { assignee_id: 'me', status: OPEN },
  sort: 'updated_desc',
});
export const unassigned = (): BuiltInView => ({
  id: 'unassigned',
  name: 'Unassigned',
  filters: { assignee_id: 'none', status: 'new,open' },
  sort: 'updated_desc',
});
export const allOpen = (): BuiltInView => ({ id: 'all_open', name: 'All open cases', filters: { status: OPEN }, sort: 'updated_desc' });
export const recentlySolved = (now: Date): BuiltInView => {
  const since = new Date(now.getTime() - RECENTLY_SOLVED_DAYS * 86_400_000).toISOString();
  return {
    id: 'recently_solved',
    name: 'Recently solved',
    // Solving a case updates it, so updated_at >= solved_at: the redundant updated_after lets
    // PostgreSQL reach these rows through cases_updated instead of reading every closed case.
    filters: { status: 'solved,closed', solved_after: since, updated_after: since },
    sort: 'updated_desc',
  };
};
export const teamView = (team: { id: string; name: string }): BuiltInView => ({
  id: `team:${team.id}`,
  name: team.name,
  filters: { team_id: team.id, status: OPEN },
  sort: 'updated_desc',
});
export const queueView = (queue: { id: string; name: string; team_name: string }): BuiltInView => ({
  id: `queue:${queue.id}`,
  name: `${queue.team_name} / ${queue.name}`,
  filters: { queue_id: queue.id, status: OPEN },
  sort: 'updated_desc',
});
