import type { AgentRole } from '../modules/agents/schema.js';

/**
 * Who is acting. Every data-access function takes one, and authorization decides from it alone.
 * - agent: a signed-in agent (session cookie) or an integration acting as an agent (API token);
 * - customer: a customer holding a status link for one case, or submitting the web form;
 * - system: Baton itself (jobs, listeners, demo data), always bound to one workspace.
 */
export type Actor = AgentActor | CustomerActor | SystemActor;

export interface AgentActor {
  kind: 'agent';
  workspaceId: string;
  agentId: string;
  role: AgentRole;
  via: 'session' | 'token';
}

export interface CustomerActor {
  kind: 'customer';
  workspaceId: string;
  customerId: string;
  /** The one case a status link opens; absent while submitting a new request. */
  caseId?: string;
}

export interface SystemActor {
  kind: 'system';
  workspaceId: string;
  reason: string;
  /**
   * Set when an automation rule acts (triggers, scheduled automations): written into the data of
   * every case change it makes (`origin`), so listeners know which rule caused an event (loop rules).
   */
  origin?: Record<string, unknown>;
}

export const systemActor = (workspaceId: string, reason: string): SystemActor => ({ kind: 'system', workspaceId, reason });

/** The (type, id) pair written to case events, domain events and the audit log. */
export function actorRef(actor: Actor): { actor_type: 'agent' | 'customer' | 'system'; actor_id: string | null } {
  switch (actor.kind) {
    case 'agent':
      return { actor_type: 'agent', actor_id: actor.agentId };
    case 'customer':
      return { actor_type: 'customer', actor_id: actor.customerId };
    case 'system':
      return { actor_type: 'system', actor_id: null };
  }
}
