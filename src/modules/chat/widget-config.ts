import type { AppContext } from '../../context.js';
import { systemActor } from '../../platform/actor.js';
import { listTeamAgentsForAssignment, resolveQueueForCategory } from '../agents/service.js';
import type { ChatSiteRow } from './site-store.js';

/** What the widget shows before a conversation: the site's look, its pre-chat question, and whether anyone is online. */
export interface WidgetConfig {
  name: string;
  colour: string;
  greeting: string;
  prechat_question: string;
  prechat_choices: { id: string; label: string }[];
  require_identity: boolean;
  /** Some agent of the site's teams is online (offline: the widget asks for an email address). */
  online: boolean;
}

export async function widgetConfig(ctx: AppContext, site: ChatSiteRow): Promise<WidgetConfig> {
  const teams = new Set<string>();
  if (site.team_id) teams.add(site.team_id);
  for (const choice of site.prechat_choices) if (choice.team_id) teams.add(choice.team_id);
  if (teams.size === 0) {
    const routed = await resolveQueueForCategory(ctx.db, systemActor(site.workspace_id, 'chat widget'), site.category);
    if (routed) teams.add(routed.teamId);
  }
  let online = false;
  for (const teamId of teams) {
    const members = await listTeamAgentsForAssignment(ctx.db, site.workspace_id, teamId);
    if (members.some((m) => m.presence === 'online' && m.capacity > 0)) {
      online = true;
      break;
    }
  }
  return {
    name: site.name,
    colour: site.colour,
    greeting: site.greeting,
    prechat_question: site.prechat_question,
    prechat_choices: site.prechat_choices.map((c) => ({ id: c.id, label: c.label })),
    require_identity: site.require_identity,
    online,
  };
}
