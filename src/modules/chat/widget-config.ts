import type { AppContext } from '../../context.js';
import { systemActor } from '../../platform/actor.js';
import { listTeamAgentsForAssignment, resolveQueueForCategory } from '../agents/service.js';
import { teamHoursNow } from '../sla/service.js';
import { medianWaitSeconds } from './conversation-store.js';
import type { ChatSiteRow } from './site-store.js';

/** What the widget shows before a conversation: the site's look, its pre-chat question, and whether anyone is online. */
export interface WidgetConfig {
  name: string;
  colour: string;
  greeting: string;
  prechat_question: string;
  prechat_choices: { id: string; label: string }[];
  require_identity: boolean;
  /**
   * A team the site routes to is within its business hours and has an agent online with room
   * (offline: the widget asks for an email address).
   */
  online: boolean;
  /** Some team the site routes to is within its business hours (staffed or not). */
  open: boolean;
  /** Closed: when the first of the site's teams opens again (ISO 8601), else null. */
  next_open_at: string | null;
  /** Online: the median wait before an agent took a chat over the site's last week (null: too few chats to say). */
  expected_wait_seconds: number | null;
}

const WAIT_WINDOW_MS = 7 * 24 * 3_600_000;
/** Below this many chats the median says more about luck than about the team. */
const MIN_WAIT_SAMPLES = 3;

async function siteTeams(ctx: AppContext, site: ChatSiteRow): Promise<(string | null)[]> {
  const teams = new Set<string>();
  if (site.team_id) teams.add(site.team_id);
  for (const choice of site.prechat_choices) if (choice.team_id) teams.add(choice.team_id);
  if (teams.size === 0) {
    const routed = await resolveQueueForCategory(ctx.db, systemActor(site.workspace_id, 'chat widget'), site.category);
    if (routed) teams.add(routed.teamId);
  }
  // No team at all: the workspace's default hours still say whether the service is open.
  return teams.size > 0 ? [...teams] : [null];
}

export async function widgetConfig(ctx: AppContext, site: ChatSiteRow, now = new Date()): Promise<WidgetConfig> {
  let online = false;
  let open = false;
  let nextOpen: Date | null = null;
  for (const teamId of await siteTeams(ctx, site)) {
    const hours = await teamHoursNow(ctx.db, site.workspace_id, teamId, now);
    if (!hours.open) {
      if (hours.nextOpenAt && (!nextOpen || hours.nextOpenAt < nextOpen)) nextOpen = hours.nextOpenAt;
      continue;
    }
    open = true;
    if (!teamId) continue;
    const members = await listTeamAgentsForAssignment(ctx.db, site.workspace_id, teamId);
    if (members.some((m) => m.presence === 'online' && m.capacity > 0)) {
      online = true;
      break;
    }
  }
  let expectedWait: number | null = null;
  if (online) {
    const wait = await medianWaitSeconds(ctx.db, site.id, new Date(now.getTime() - WAIT_WINDOW_MS));
    if (wait.samples >= MIN_WAIT_SAMPLES) expectedWait = wait.seconds;
  }
  return {
    name: site.name,
    colour: site.colour,
    greeting: site.greeting,
    prechat_question: site.prechat_question,
    prechat_choices: site.prechat_choices.map((c) => ({ id: c.id, label: c.label })),
    require_identity: site.require_identity,
    online,
    open,
    next_open_at: open || !nextOpen ? null : nextOpen.toISOString(),
    expected_wait_seconds: expectedWait,
  };
}
