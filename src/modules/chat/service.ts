/**
 * The chat channel's API to other modules and to src/modules/index.ts.
 */
export { chatSiteRoutes } from './site-routes.js';
export { chatConversationRoutes } from './conversation-routes.js';
export { chatWidgetRoutes } from './widget-routes.js';
export { chatWidgetPages } from './widget-pages.js';
export { chatDomainListener, chatJobHandlers, OFFLINE_AFTER_MS, scheduleChatQueueSweep } from './jobs.js';
export { pickChatAgent, chatCapacityOf, DEFAULT_CHAT_CAPACITY } from './capacity.js';
export { drainChatQueue } from './queue.js';
export { signIdentityToken, verifyIdentityToken, type IdentityClaims, type IdentityProblem } from './identity-token.js';
export { embedSnippet } from './site-views.js';
