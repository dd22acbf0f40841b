import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { adminRoutes } from './admin-routes.js';
import { agentDirectoryRoutes } from './agent-routes.js';
import { authRoutes } from './auth-routes.js';
import { teamRoutes } from './team-routes.js';

/** Routes of the agents module: sign-in, agents and invitations, teams and queues, API tokens, audit log. */
export function agentRoutes(app: ApiApp, ctx: AppContext): void {
  authRoutes(app, ctx);
  agentDirectoryRoutes(app, ctx);
  teamRoutes(app, ctx);
  adminRoutes(app, ctx);
}
