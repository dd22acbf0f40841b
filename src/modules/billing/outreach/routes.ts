import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { getOutreachSettings, updateOutreachSettings } from './settings.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const TemplateInput = Closed({
  enabled: Type.Boolean(),
  subject: Nullable(Type.String({ maxLength: 300, description: 'null or blank: the built-in subject in the customer’s language' })),
  body: Nullable(Type.String({ maxLength: 20000, description: 'null or blank: the built-in text in the customer’s language' })),
});
const TemplateView = Type.Object({ enabled: Type.Boolean(), subject: Nullable(Type.String()), body: Nullable(Type.String()) });
const Text = Type.Object({ subject: Type.String(), body: Type.String() });
const PerLanguage = Type.Record(Type.String(), Text);

const OutreachSettingsBody = Closed(
  { payment_failed: TemplateInput, dispute_opened: TemplateInput },
  { description: 'Placeholders: {{customer_name}}, {{case_number}}, {{amount}}, {{failure_reason}}, {{invoice_number}}, {{due_date}}' },
);
export const OutreachSettingsSchema = Type.Object({
  payment_failed: TemplateView,
  dispute_opened: TemplateView,
  placeholders: Type.Array(Type.String()),
  defaults: Type.Object({ payment_failed: PerLanguage, dispute_opened: PerLanguage }, { description: 'Built-in texts per language' }),
});

const tags = ['billing'];

export function outreachSettingsRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/billing/settings/outreach',
    {
      schema: {
        tags,
        summary: 'Proactive outreach settings (admin): messages to customers on a failed payment or a dispute',
        response: { 200: OutreachSettingsSchema },
      },
    },
    async (request) => getOutreachSettings(ctx.db, agentOf(request)),
  );

  app.put(
    '/billing/settings/outreach',
    {
      schema: {
        tags,
        summary: 'Replace the proactive outreach settings (admin, audited)',
        body: OutreachSettingsBody,
        response: { 200: OutreachSettingsSchema },
      },
    },
    async (request) => updateOutreachSettings(ctx.db, agentOf(request), request.body),
  );
}
