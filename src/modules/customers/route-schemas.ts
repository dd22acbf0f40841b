import { Type } from 'typebox';
import { Closed, PageQuery } from '../../http/schemas.js';
import { MAX_TAGS } from './normalize.js';
import { CORRESPONDENCE_FORMATS, PostalAddressSchema, PREFERRED_CHANNELS } from './view.js';

/** Request schemas of the customer routes (closed objects, bounded strings). */

// Raw lengths leave room for surrounding spaces; the trimmed values are checked by normalize.ts.
const profileFields = {
  organization: Type.Optional(Type.String({ maxLength: 200 })),
  postal_address: Type.Optional(Type.Union([PostalAddressSchema, Type.Null()])),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 language tag, e.g. en-GB' })),
  time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' })),
  preferred_channel: Type.Optional(Type.Enum(PREFERRED_CHANNELS)),
  correspondence_format: Type.Optional(Type.Enum(CORRESPONDENCE_FORMATS)),
  notes: Type.Optional(Type.String({ maxLength: 20000 })),
  tags: Type.Optional(
    Type.Array(Type.String({ maxLength: 100 }), {
      maxItems: MAX_TAGS,
      description: 'Lower-cased, trimmed, de-duplicated; each 1-50 characters',
    }),
  ),
  tier: Type.Optional(
    Type.Union([Type.String({ maxLength: 60 }), Type.Null()], {
      description: 'Service tier: a lower-case slug [a-z0-9][a-z0-9_-]{0,39} (trimmed, lower-cased); null removes it',
    }),
  ),
};

export const CreateCustomerBody = Closed({
  name: Type.String({ maxLength: 200 }),
  emails: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 20 })),
  phones: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  ...profileFields,
});

export const UpdateCustomerBody = Closed({
  version: Type.Integer({ minimum: 1, description: 'The version you read; a changed customer answers 409 customer.stale_version' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  ...profileFields,
});

export const AddIdentityBody = Closed({
  kind: Type.Enum(['email', 'phone']),
  value: Type.String({ minLength: 1, maxLength: 300 }),
  is_primary: Type.Optional(Type.Boolean()),
});

export const MergeBody = Closed({
  source_customer_id: Type.String({ format: 'uuid', description: 'The customer merged INTO the one in the path' }),
});

export const CustomerListQuery = Closed({
  ...PageQuery,
  tag: Type.Optional(Type.String({ maxLength: 100 })),
  tier: Type.Optional(Type.String({ maxLength: 60, description: 'Only customers of this tier' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Prefix of a name, email address or phone number' })),
});

export const PageOnlyQuery = Closed({ ...PageQuery });

export const CustomerParams = Closed({ id: Type.String({ format: 'uuid' }) });
export const IdentityParams = Closed({ id: Type.String({ format: 'uuid' }), identityId: Type.String({ format: 'uuid' }) });
