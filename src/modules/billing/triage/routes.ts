import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { getTriageSettings, updateTriageSettings } from './settings.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const RouteInput = Closed({ team_id: Uuid, queue_id: Type.Optional(Nullable(Uuid)) });
const RouteView = Type.Object({ team_id: Uuid, queue_id: Nullable(Uuid) });
const Days = Type.Integer({ minimum: 1, maximum: 365 });

const TriageSettingsBody = Closed({
  enabled: Type.Boolean(),
  failed_payment_days: Days,
  refund_days: Days,
  routes: Closed(
    { failed_payment: Type.Optional(RouteInput), open_dispute: Type.Optional(RouteInput), recent_refund: Type.Optional(RouteInput) },
    { description: 'Where a new case with each signal goes (a queue must belong to the team); no route: it stays where it was routed' },
  ),
});
export const TriageSettingsSchema = Type.Object({
  enabled: Type.Boolean(),
  failed_payment_days: Type.Integer(),
  refund_days: Type.Integer(),
  routes: Type.Object({
    failed_payment: Type.Optional(RouteView),
    open_dispute: Type.Optional(RouteView),
    recent_refund: Type.Optional(RouteView),
  }),
});

const tags = ['billing'];

export function triageSettingsRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/billing/settings/triage',
    {
      schema: {
        tags,
        summary: 'Billing-aware triage settings (admin): tags, priority and routing of new cases by billing signals',
        response: { 200: TriageSettingsSchema },
      },
    },
    async (request) => getTriageSettings(ctx.db, agentOf(request)),
  );

  app.put(
    '/billing/settings/triage',
    {
      schema: {
        tags,
        summary: 'Replace the billing-aware triage settings (admin, audited)',
        body: TriageSettingsBody,
        response: { 200: TriageSettingsSchema },
      },
    },
    async (request) => updateTriageSettings(ctx.db, agentOf(request), request.body),
  );
}
