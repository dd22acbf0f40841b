import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { policyRoutes } from './policy-routes.js';
import { presetRoutes } from './preset-routes.js';
import { slaReadRoutes } from './read-routes.js';
import { scheduleRoutes } from './schedule-routes.js';

/** Every SLA route (registered once in src/modules/index.ts). */
export function slaRoutes(app: ApiApp, ctx: AppContext): void {
  scheduleRoutes(app, ctx);
  policyRoutes(app, ctx);
  slaReadRoutes(app, ctx);
  presetRoutes(app, ctx);
}
