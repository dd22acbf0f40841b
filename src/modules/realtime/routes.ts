import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { acceptAgentSocket } from './agent-socket.js';
import { realtimeHubOf, releaseRealtimeHub } from './hub.js';

/**
 * GET /api/v1/realtime: the agent app's WebSocket (docs/REALTIME.md). The route is public to the
 * HTTP layer so that a refusal reaches the browser as a close code (4401, 4403) rather than an
 * opaque failed handshake; the handler authenticates before anything is sent.
 */
export function realtimeRoutes(app: ApiApp, ctx: AppContext): void {
  const hub = realtimeHubOf(ctx);
  app.addHook('onClose', async () => {
    await hub.stop();
    releaseRealtimeHub(ctx, hub);
  });
  app.get('/realtime', { websocket: true, config: { access: 'public' }, schema: { hide: true } }, async (socket, request) => {
    await acceptAgentSocket(hub, socket, request);
  });
}
