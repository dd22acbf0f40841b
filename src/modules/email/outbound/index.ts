import type { AppContext } from '../../../context.js';
import type { JobHandler } from '../../../platform/jobs.js';
import type { DomainEventListener } from '../../../platform/outbox.js';
import type { JsonObject } from '../../../platform/schema.js';
import { notificationListener } from './notifications.js';
import { replyListener } from './reply-listener.js';
import { outboundMailJob } from './send-job.js';

/** Outgoing mail's contributions to the module registry (src/modules/index.ts). */

export {
  queueOutboundMail,
  recordSuppressedMail,
  SEND_QUEUE,
  MAX_SEND_ATTEMPTS,
  type OutboundMailInput,
  type QueuedMail,
} from './queue.js';
export { composeOutboundMail, loopHeaderValue, LOOP_HEADER } from './compose.js';
export { textToHtml, textToHtmlFragment, escapeHtml } from './html.js';
export { formatMailbox, bareMessageId } from './addresses.js';
export { activeAgentRecipient, agentMailLocale } from './agent-recipient.js';
export { sendOutboundMail, outboundMailJob } from './send-job.js';
export { outboundMailRoutes } from './routes.js';
export { replySubject } from './reply-listener.js';

/** Listeners on case events: replies to customers, notifications to agents. */
export function emailDomainListeners(ctx: AppContext): DomainEventListener[] {
  return [replyListener(ctx), notificationListener(ctx)];
}

/** The 'email.send' job. */
export function emailJobHandlers(ctx: AppContext): JobHandler<JsonObject>[] {
  return [outboundMailJob(ctx) as unknown as JobHandler<JsonObject>];
}
