import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { getCustomerBillingState } from './get-state.js';
import { BillingStateSchema } from './views.js';

export function billingStateRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/customers/:id/billing',
    {
      schema: {
        tags: ['billing'],
        summary: "A customer's billing state: summary, accounts, subscriptions, invoices, payments, refunds, credits",
        description: 'Each list holds the 20 most recent rows, newest first. Any agent (billing.read).',
        params: Closed({ id: Uuid }),
        response: { 200: BillingStateSchema },
      },
    },
    async (request) => getCustomerBillingState(ctx.db, agentOf(request), request.params.id),
  );
}
