import { Type, type Static } from 'typebox';
import { CASE_CATEGORIES } from '../cases/schema.js';
import type { ChatSiteRow } from './site-store.js';

/** Response shapes of chat sites (published in OpenAPI). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

export const PrechatChoiceSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  category: Type.Enum([...CASE_CATEGORIES]),
  team_id: Nullable(Id),
});

export const ChatSiteSchema = Type.Object({
  id: Id,
  name: Type.String(),
  site_key: Type.String({ description: 'Public: goes into the embed snippet' }),
  allowed_origins: Type.Array(Type.String(), { description: 'Pages that may embed the widget' }),
  colour: Type.String(),
  greeting: Type.String(),
  prechat_question: Type.String(),
  prechat_choices: Type.Array(PrechatChoiceSchema),
  team_id: Nullable(Id),
  category: Type.Enum([...CASE_CATEGORIES]),
  mailbox_id: Nullable(Id),
  require_identity: Type.Boolean({ description: 'Only visitors with a valid identity token signed with the site secret may chat' }),
  active: Type.Boolean(),
  secret_rotated_at: DateTime,
  snippet: Type.String({ description: 'The script tag to paste into the site' }),
  created_at: DateTime,
  updated_at: DateTime,
});
export type ChatSiteView = Static<typeof ChatSiteSchema>;

export const ChatSiteWithSecretSchema = Type.Object({
  ...ChatSiteSchema.properties,
  secret: Type.String({ description: 'Signs identity tokens (HS256). Shown only now: store it on the site server' }),
});
export type ChatSiteWithSecret = Static<typeof ChatSiteWithSecretSchema>;

export function embedSnippet(publicUrl: string, siteKey: string): string {
  return `<script src="${publicUrl}/chat/widget.js" data-site="${siteKey}" async></script>`;
}

export function siteView(row: ChatSiteRow, publicUrl: string): ChatSiteView {
  return {
    id: row.id,
    name: row.name,
    site_key: row.site_key,
    allowed_origins: row.allowed_origins,
    colour: row.colour,
    greeting: row.greeting,
    prechat_question: row.prechat_question,
    prechat_choices: row.prechat_choices,
    team_id: row.team_id,
    category: row.category,
    mailbox_id: row.mailbox_id,
    require_identity: row.require_identity,
    active: row.active,
    secret_rotated_at: row.secret_rotated_at.toISOString(),
    snippet: embedSnippet(publicUrl, row.site_key),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
