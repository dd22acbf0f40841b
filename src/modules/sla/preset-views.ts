import { Type, type Static } from 'typebox';
import { Closed } from '../../http/schemas.js';
import { PolicyViewSchema } from './policy-schemas.js';

/** Request and response shapes of the regulatory SLA presets. */

const Id = Type.String({ format: 'uuid' });
const NullableMinutes = Type.Union([Type.Integer(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const PresetParams = Closed({ key: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9_]+$' }) });

export const EnablePresetBody = Closed({
  tag: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 50,
      pattern: '\\S',
      description: 'The case tag the policy matches (default: the preset\u2019s, e.g. billing_error or complaint)',
    }),
  ),
  schedule_id: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'Business hours of business-day rules (FCA); default: Baton creates "UK business days (FCA complaints)"',
    }),
  ),
});
export type EnablePresetInput = Static<typeof EnablePresetBody>;

export const PresetLetterViewSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  when: Type.String({ description: 'When the rule requires this letter or message' }),
  subject: Type.String({ description: 'Template with case placeholders ({{case.number}}, ...)' }),
  body: Type.String({ description: 'Template with case placeholders; [bracketed] parts are for the agent to complete' }),
});

const BusinessDayRuleSchema = Type.Object({
  letter: Type.String({ description: 'Key of the letter the window is for' }),
  business_days: Type.Integer(),
  description: Type.String(),
});

export const PresetViewSchema = Type.Object({
  key: Type.String(),
  name: Type.String(),
  jurisdiction: Type.String(),
  regulation: Type.String(),
  description: Type.String(),
  default_tag: Type.String(),
  time_basis: Type.Enum(['business', 'calendar']),
  targets: Type.Object({ first_reply_minutes: NullableMinutes, next_reply_minutes: NullableMinutes, resolution_minutes: NullableMinutes }),
  pause_statuses: Type.Array(Type.String()),
  warning_minutes: Type.Integer(),
  escalations: Type.Object({
    warning: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    breach: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  }),
  business_day_rule: Type.Union([BusinessDayRuleSchema, Type.Null()]),
  enabled: Type.Boolean({ description: 'This workspace has switched the preset on (its policy exists and is enabled)' }),
  policy_id: Type.Union([Id, Type.Null()], { description: 'The policy created from the preset (kept when switched off)' }),
  schedule_id: Type.Union([Id, Type.Null()], { description: 'Business hours of the business-day rules' }),
  letters: Type.Array(PresetLetterViewSchema),
});
export type PresetView = Static<typeof PresetViewSchema>;

export const PresetPolicyViewSchema = Type.Object({
  preset: PresetViewSchema,
  policy: PolicyViewSchema,
  macros: Type.Array(Type.Object({ letter: Type.String(), macro_id: Id, name: Type.String() }), {
    description: 'Shared macros created from the letters when the preset was first switched on (names already taken are skipped)',
  }),
});
export type PresetPolicyView = Static<typeof PresetPolicyViewSchema>;

export const CasePresetViewSchema = Type.Object({
  preset: Type.Union([
    Type.Object({
      key: Type.String(),
      name: Type.String(),
      jurisdiction: Type.String(),
      regulation: Type.String(),
      received_at: DateTime,
      business_day_window: Type.Union(
        [
          Type.Object({
            letter: Type.String(),
            business_days: Type.Integer(),
            description: Type.String(),
            last_day: Type.String({ format: 'date', description: 'Local date of the last business day' }),
            ends_at: DateTime,
            time_zone: Type.String(),
            open: Type.Boolean({ description: 'The window has not ended yet' }),
          }),
          Type.Null(),
        ],
        { description: 'FCA: the summary resolution communication window' },
      ),
      letters: Type.Array(
        Type.Object({
          key: Type.String(),
          name: Type.String(),
          when: Type.String(),
          subject: Type.String({ description: 'Filled with this case\u2019s values' }),
          body: Type.String({ description: 'Filled with this case\u2019s values; placeholders without a value stay as {{name}}' }),
        }),
      ),
    }),
    Type.Null(),
  ]),
});
export type CasePresetView = Static<typeof CasePresetViewSchema>;
