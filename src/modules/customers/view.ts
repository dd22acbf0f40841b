import { Type, type Static } from 'typebox';
import type { CorrespondenceFormat, CustomerMergeRecord, IdentityKind, PostalAddress, PreferredChannel } from './schema.js';

/** How customers leave the module: the API response shape and what other modules receive. */

export const PREFERRED_CHANNELS = [
  'email',
  'phone',
  'chat',
  'web',
  'letter',
  'social',
  'walk_in',
] as const satisfies readonly PreferredChannel[];
export const CORRESPONDENCE_FORMATS = ['email', 'letter', 'postcard'] as const satisfies readonly CorrespondenceFormat[];

export const PostalAddressSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    postal_code: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

export const IdentityViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  value: Type.String(),
  is_primary: Type.Boolean(),
  undeliverable: Type.Boolean(),
});
export type IdentityView = Static<typeof IdentityViewSchema>;

export const CustomerViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  organization: Type.String(),
  emails: Type.Array(IdentityViewSchema),
  phones: Type.Array(IdentityViewSchema),
  postal_address: Type.Union([PostalAddressSchema, Type.Null()]),
  language: Type.String({ description: 'BCP 47 language tag' }),
  time_zone: Type.String({ description: 'IANA time zone' }),
  preferred_channel: Type.Enum(PREFERRED_CHANNELS),
  correspondence_format: Type.Enum(CORRESPONDENCE_FORMATS),
  notes: Type.String(),
  tags: Type.Array(Type.String()),
  tier: Type.Union([Type.String(), Type.Null()], { description: 'Service tier (lower-case slug, e.g. gold); SLA policies may match it' }),
  merged_into_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'Set while this customer is merged into another',
  }),
  version: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export interface CustomerView {
  id: string;
  name: string;
  organization: string;
  emails: IdentityView[];
  phones: IdentityView[];
  postal_address: PostalAddress | null;
  language: string;
  time_zone: string;
  preferred_channel: PreferredChannel;
  correspondence_format: CorrespondenceFormat;
  notes: string;
  tags: string[];
  tier: string | null;
  merged_into_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerSummary {
  id: string;
  name: string;
  primary_email: string | null;
  organization: string;
  /** For rules that match on them (SLA policies, triggers, automations). */
  tags: string[];
  tier: string | null;
}

export const CustomerMergeViewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source_customer_id: Type.String({ format: 'uuid' }),
  target_customer_id: Type.String({ format: 'uuid' }),
  moved: Type.Object({
    identity_ids: Type.Array(Type.String({ format: 'uuid' })),
    case_ids: Type.Array(Type.String({ format: 'uuid' })),
    tags_added: Type.Array(Type.String()),
    primary_identity_ids: Type.Array(Type.String({ format: 'uuid' })),
  }),
  merged_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  merged_at: Type.String({ format: 'date-time' }),
  undone_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  undone_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export interface CustomerMergeView {
  id: string;
  source_customer_id: string;
  target_customer_id: string;
  moved: CustomerMergeRecord;
  merged_by: string | null;
  merged_at: string;
  undone_by: string | null;
  undone_at: string | null;
}

/** Row shapes as read by the store, turned into views here. */
export interface CustomerRow {
  id: string;
  workspace_id: string;
  name: string;
  organization: string;
  postal_address: PostalAddress | null;
  language: string;
  time_zone: string;
  preferred_channel: PreferredChannel;
  correspondence_format: CorrespondenceFormat;
  notes: string;
  tags: string[];
  tier: string | null;
  merged_into_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface IdentityRow {
  id: string;
  customer_id: string;
  kind: IdentityKind;
  value: string;
  is_primary: boolean;
  undeliverable_at: Date | null;
  created_at: Date;
}

export function toCustomerView(row: CustomerRow, identities: readonly IdentityRow[]): CustomerView {
  const of = (kind: IdentityKind) =>
    identities
      .filter((i) => i.kind === kind)
      .map((i) => ({ id: i.id, value: i.value, is_primary: i.is_primary, undeliverable: i.undeliverable_at !== null }));
  return {
    id: row.id,
    name: row.name,
    organization: row.organization,
    emails: of('email'),
    phones: of('phone'),
    postal_address: row.postal_address,
    language: row.language,
    time_zone: row.time_zone,
    preferred_channel: row.preferred_channel,
    correspondence_format: row.correspondence_format,
    notes: row.notes,
    tags: row.tags,
    tier: row.tier,
    merged_into_id: row.merged_into_id,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
