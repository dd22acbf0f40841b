import type { ApiApp } from '../http/server.js';
import type { AppContext } from '../context.js';
import type { DomainEventListener } from '../platform/outbox.js';
import type { JobHandler } from '../platform/jobs.js';
import type { JsonObject } from '../platform/schema.js';
import { agentRoutes } from './agents/routes.js';
import { billingRoutes } from './billing/routes.js';
import { billingCustomerMergeListener } from './billing/customer-merge/index.js';
import { stripeRoutes } from './billing/stripe/routes.js';
import { executeMoneyActionJob, moneyActionRoutes } from './billing/money-actions/service.js';
import { outreachDomainListeners, outreachSettingsRoutes } from './billing/outreach/index.js';
import { billingTriageListener, triageSettingsRoutes } from './billing/triage/index.js';
import { caseListingRoutes } from './cases/listing-routes.js';
import {
  chatConversationRoutes,
  chatDomainListener,
  chatJobHandlers,
  chatSiteRoutes,
  scheduleChatQueueSweep,
  chatWidgetPages,
  chatWidgetRoutes,
} from './chat/service.js';
import { caseRoutes } from './cases/routes.js';
import { customerRoutes } from './customers/routes.js';
import { disputeDeadlineJob, scheduleDisputeDeadlines } from './disputes/deadline-job.js';
import { disputeRoutes } from './disputes/routes.js';
import { mailboxRoutes } from './email/mailboxes/routes.js';
import { emailDomainListeners, emailJobHandlers } from './email/outbound/index.js';
import { outboundMailRoutes } from './email/outbound/routes.js';
import { imapSyncJob, scheduleImapPolling } from './email/imap/service.js';
import { inboundMailRoutes } from './email/processing/routes.js';
import { automationWebhookJob, triggerListener, triggerRoutes } from './automation/service.js';
import { scheduledAutomationJob, scheduledAutomationRoutes, scheduleScheduledAutomations } from './automation/scheduled/service.js';
import { attachmentApiRoutes } from './files/api-routes.js';
import { scheduleUnattachedCleanup, unattachedCleanupJob } from './files/cleanup.js';
import { fileRoutes } from './files/routes.js';
import { followupCaseListener, followupRoutes, followupTimerJob } from './followups/service.js';
import { realtimePruneJob, realtimePublisher, realtimeRoutes, scheduleRealtimePrune } from './realtime/service.js';
import { searchRoutes } from './search/routes.js';
import { slaCaseListener, slaRoutes, slaTimerJob } from './sla/service.js';
import { viewRoutes } from './views/routes.js';
import { macroRoutes } from './macros/routes.js';
import { webformPages } from './webform/pages.js';

/**
 * The module registry: each domain module contributes API routes (mounted under /api/v1),
 * page routes (customer-facing HTML, file downloads), domain-event listeners and job handlers.
 * Adding a module is one line here.
 */
export interface RouteModule {
  name: string;
  routes(app: ApiApp, ctx: AppContext): void | Promise<void>;
}

export const apiModules: RouteModule[] = [
  { name: 'agents', routes: agentRoutes },
  { name: 'billing', routes: billingRoutes },
  { name: 'billing-stripe', routes: stripeRoutes },
  { name: 'customers', routes: customerRoutes },
  { name: 'cases', routes: caseRoutes },
  { name: 'case-listing', routes: caseListingRoutes },
  { name: 'views', routes: viewRoutes },
  { name: 'search', routes: searchRoutes },
  { name: 'attachments', routes: attachmentApiRoutes },
  { name: 'mailboxes', routes: mailboxRoutes },
  { name: 'outbound-mail', routes: outboundMailRoutes },
  { name: 'inbound-mail', routes: inboundMailRoutes },
  { name: 'billing-outreach-settings', routes: outreachSettingsRoutes },
  { name: 'billing-triage-settings', routes: triageSettingsRoutes },
  { name: 'money-actions', routes: moneyActionRoutes },
  { name: 'disputes', routes: disputeRoutes },
  { name: 'realtime', routes: realtimeRoutes },
  { name: 'chat-sites', routes: chatSiteRoutes },
  { name: 'chat-conversations', routes: chatConversationRoutes },
  { name: 'chat-widget', routes: chatWidgetRoutes },
  { name: 'sla', routes: slaRoutes },
  { name: 'scheduled-automations', routes: scheduledAutomationRoutes },
  { name: 'followups', routes: followupRoutes },
  { name: 'triggers', routes: triggerRoutes },
  { name: 'macros', routes: macroRoutes },
];

export const pageModules: RouteModule[] = [
  { name: 'webform', routes: webformPages },
  { name: 'files', routes: fileRoutes },
  { name: 'chat-widget-pages', routes: chatWidgetPages },
];

/** Listeners run inside the outbox relay's transaction (platform/outbox-relay.ts). */
export function domainListeners(ctx: AppContext): DomainEventListener[] {
  return [
    ...emailDomainListeners(ctx),
    ...outreachDomainListeners(ctx),
    billingTriageListener(),
    billingCustomerMergeListener(),
    chatDomainListener(),
    slaCaseListener(),
    followupCaseListener(),
    triggerListener(ctx),
  ];
}

/**
 * The realtime lane's listeners (a relay of their own, src/app.ts): live updates leave as soon as
 * their change commits, whatever the main lane's listeners are busy with.
 */
export function realtimeLaneListeners(ctx: AppContext): DomainEventListener[] {
  return [realtimePublisher({ redisUrl: ctx.config.redisUrl })];
}

/** Job handlers, built from the context so they can reach what a job needs (the files directory). */
export function jobHandlers(ctx: AppContext): JobHandler<JsonObject>[] {
  return [
    unattachedCleanupJob(ctx),
    ...emailJobHandlers(ctx),
    imapSyncJob(ctx),
    executeMoneyActionJob(ctx),
    disputeDeadlineJob(),
    realtimePruneJob,
    ...chatJobHandlers(ctx),
    slaTimerJob(ctx),
    scheduledAutomationJob(ctx),
    followupTimerJob(ctx),
    automationWebhookJob(ctx),
  ];
}

/** Recurring jobs each module schedules when a worker starts (idempotent: singleton keys). */
export async function scheduleRecurringJobs(ctx: AppContext): Promise<void> {
  await scheduleUnattachedCleanup(ctx);
  await scheduleImapPolling(ctx);
  await scheduleDisputeDeadlines(ctx);
  await scheduleRealtimePrune(ctx.db);
  await scheduleChatQueueSweep(ctx.db);
  await scheduleScheduledAutomations(ctx.db);
}
