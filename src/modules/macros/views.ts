import { Type, type Static, type TSchema } from 'typebox';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES } from '../cases/schema.js';
import { MACRO_VISIBILITIES, type MacroChanges } from './schema.js';
import type { MacroRow } from './store.js';

/** Response shapes (and the field-changes request shape) of the macros API. */

const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Tag = Type.String({ minLength: 1, maxLength: 50 });

export const MacroChangesSchema = Type.Object(
  {
    status: Type.Optional(Type.Enum([...CASE_STATUSES])),
    priority: Type.Optional(Type.Enum([...CASE_PRIORITIES])),
    category: Type.Optional(Type.Enum([...CASE_CATEGORIES])),
    team_id: Type.Optional(Nullable(Id)),
    queue_id: Type.Optional(Nullable(Id)),
    assignee: Type.Optional(
      Nullable(Type.String({ maxLength: 36, description: 'An agent id, "me" (the agent applying the macro), or null to unassign' })),
    ),
    add_tags: Type.Optional(Type.Array(Tag, { maxItems: 30 })),
    remove_tags: Type.Optional(Type.Array(Tag, { maxItems: 30 })),
  },
  { additionalProperties: false, description: 'Field changes the macro applies; absent fields stay as they are' },
);

export const MacroViewSchema = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  body: Type.String({ description: 'Reply template with {{placeholders}} (docs/MACROS.md)' }),
  visibility: Type.Enum([...MACRO_VISIBILITIES], { description: 'Whether the reply is meant as a public reply or an internal note' }),
  changes: MacroChangesSchema,
  shared: Type.Boolean(),
  owner_agent_id: Nullable(Id),
  usage_count: Type.Integer(),
  last_used_at: Nullable(DateTime),
  version: Type.Integer({ description: 'Send back with PATCH; a stale version is refused (409)' }),
  created_at: DateTime,
  updated_at: DateTime,
});
export type MacroView = Static<typeof MacroViewSchema>;

export const FieldChangeSchema = Type.Object({
  field: Type.String({ description: 'status, priority, category, team_id, queue_id, assignee_id or tags' }),
  from: Type.Unknown(),
  to: Type.Unknown(),
});
export type FieldChange = Static<typeof FieldChangeSchema>;

export function macroView(row: MacroRow): MacroView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    body: row.body,
    visibility: row.visibility,
    changes: row.changes as MacroChanges as MacroView['changes'],
    shared: row.owner_agent_id === null,
    owner_agent_id: row.owner_agent_id,
    usage_count: row.usage_count,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
