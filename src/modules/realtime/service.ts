/**
 * The realtime module's API to other modules (the chat widget socket builds on it).
 */
export { realtimeHubOf, configureRealtime, HubClient, DEFAULT_REALTIME_OPTIONS, type RealtimeHub, type RealtimeOptions } from './hub.js';
export type { LiveSignal, RealtimeBus } from './bus.js';
export type { RealtimeEvent } from './event-store.js';
export { pruneRealtimeEvents } from './event-store.js';
export { realtimePublisher, isLiveEventType } from './publisher.js';
export { realtimeRoutes } from './routes.js';
export type { ResumeOutcome } from './stream.js';
export {
  CLOSE,
  MAX_MESSAGE_BYTES,
  MessageRateLimit,
  bufferEarlyMessages,
  keepAlive,
  originAllowed,
  originOf,
  parseClientMessage,
  send,
  type ClientMessage,
  type EarlyMessages,
} from './socket-guard.js';
export { realtimePruneJob, scheduleRealtimePrune, REALTIME_RETENTION_MS } from './prune-job.js';
