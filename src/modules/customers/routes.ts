import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';

export function customerRoutes(_app: ApiApp, _ctx: AppContext): void {
  // Routes are added by the module's owner.
}
