import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { isLocale, type Locale } from '../../../platform/i18n/index.js';
// getAgent is exported by the agents module but not (yet) re-exported from its service.ts.
import { getAgent } from '../../agents/agents.js';
import type { AgentView } from '../../agents/views.js';

/** The agent a notification mail may go to: an active one; null when deactivated or gone. */
export async function activeAgentRecipient(tx: Db, actor: Actor, agentId: string): Promise<AgentView | null> {
  try {
    const agent = await getAgent(tx, actor, agentId);
    return agent.status === 'active' ? agent : null;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

/** The catalog an agent's mail is written in: their locale's primary subtag when Baton has it, else English. */
export function agentMailLocale(agent: AgentView): Locale {
  const primary = agent.locale.toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : 'en';
}
