import type { AppContext } from '../../../context.js';
import type { DomainEventListener } from '../../../platform/outbox.js';
import { disputeOpenedOutreachListener } from './dispute-opened.js';
import { paymentFailedOutreachListener } from './payment-failed.js';

/** Proactive outreach's contributions to the module registry (src/modules/index.ts). */
export { outreachSettingsRoutes } from './routes.js';
export { enableOutreachWithBuiltInTexts, getOutreachSettings, readOutreachSettings, updateOutreachSettings } from './settings.js';

export function outreachDomainListeners(ctx: AppContext): DomainEventListener[] {
  return [paymentFailedOutreachListener(ctx), disputeOpenedOutreachListener(ctx)];
}
