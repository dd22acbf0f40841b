import { Type, type TSchema } from 'typebox';
import { Closed, PageQuery, Uuid } from '../../http/schemas.js';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, CHANNELS } from './schema.js';
import { MAX_BULK_CASES } from './bulk-update.js';
import { MAX_SPLIT_MESSAGES } from './split-case.js';
import { MAX_BODY, MAX_SUBJECT, MAX_TAGS } from './text.js';
import { CaseViewSchema, MessageViewSchema, PersonRefSchema } from './views.js';

/** Request and response schemas of the case routes: closed objects, bounded strings and lists. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Status = Type.Enum([...CASE_STATUSES]);
const Priority = Type.Enum([...CASE_PRIORITIES]);
const Category = Type.Enum([...CASE_CATEGORIES]);
const CaseType = Type.Enum([...CASE_TYPES]);
const DueAt = Nullable(Type.String({ format: 'date-time', maxLength: 40, description: 'Deadline; null clears it' }));
const Subject = Type.String({ minLength: 1, maxLength: MAX_SUBJECT });
const Body = Type.String({ minLength: 1, maxLength: MAX_BODY });
// Tags are trimmed and lower-cased by the service, which also enforces 1-50 characters.
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: MAX_TAGS });
const AttachmentIds = Type.Array(Uuid, { maxItems: 20, description: 'Ids of files uploaded with POST /files' });

export const CaseParams = Closed({ id: Uuid });
export const CaseRefParams = Closed({
  ref: Type.String({ minLength: 1, maxLength: 64, description: 'Case id (uuid) or number (1042 or #1042)' }),
});
export const FollowerParams = Closed({ id: Uuid, agentId: Uuid });
export const CustomerParams = Closed({ id: Uuid });
export const PageOnlyQuery = Closed({ ...PageQuery });

export const CreateCaseBody = Closed({
  customer_id: Type.Optional(Uuid),
  customer: Type.Optional(
    Closed(
      { email: Type.String({ minLength: 3, maxLength: 254 }), name: Type.Optional(Type.String({ maxLength: 200 })) },
      { description: 'Found by email address, or created; send this or customer_id' },
    ),
  ),
  subject: Subject,
  category: Type.Optional(Category),
  priority: Type.Optional(Priority),
  type: Type.Optional(CaseType),
  due_at: Type.Optional(DueAt),
  channel: Type.Optional(Type.Enum([...CHANNELS], { default: 'api' })),
  team_id: Type.Optional(Nullable(Uuid)),
  queue_id: Type.Optional(Nullable(Uuid)),
  assignee_id: Type.Optional(Nullable(Uuid)),
  tags: Type.Optional(Tags),
  message: Closed({
    body: Body,
    visibility: Type.Optional(Type.Enum(['public', 'internal'])),
    author_type: Type.Optional(
      Type.Enum(['customer', 'agent'], { description: "Default: the customer's request (public) or the agent's note (internal)" }),
    ),
    attachment_ids: Type.Optional(AttachmentIds),
  }),
});

export const UpdateCaseBody = Closed({
  version: Type.Integer({ minimum: 1, description: 'The version you read; a changed case answers 409 case.stale_version' }),
  subject: Type.Optional(Subject),
  status: Type.Optional(Status),
  priority: Type.Optional(Priority),
  category: Type.Optional(Category),
  type: Type.Optional(CaseType),
  due_at: Type.Optional(DueAt),
  team_id: Type.Optional(Nullable(Uuid)),
  queue_id: Type.Optional(Nullable(Uuid)),
  assignee_id: Type.Optional(Nullable(Uuid)),
  tags: Type.Optional(Tags),
});

export const AddMessageBody = Closed({
  body: Body,
  visibility: Type.Enum(['public', 'internal']),
  status_after: Type.Optional(Status),
  attachment_ids: Type.Optional(AttachmentIds),
});

export const AddMessageResponse = Type.Object({ message: MessageViewSchema, case: CaseViewSchema });

export const FollowBody = Closed({ agent_id: Type.Optional(Uuid) });
export const FollowersResponse = Type.Object({ followers: Type.Array(PersonRefSchema) });

export const SplitBody = Closed({
  message_ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_SPLIT_MESSAGES }),
  subject: Subject,
});

export const MergeBody = Closed({
  source_case_id: Type.String({ format: 'uuid', description: 'The case merged INTO the one in the path (and closed)' }),
});

export const BulkBody = Closed({
  case_ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_BULK_CASES }),
  changes: Closed(
    {
      status: Type.Optional(Status),
      priority: Type.Optional(Priority),
      assignee_id: Type.Optional(Nullable(Uuid)),
      team_id: Type.Optional(Nullable(Uuid)),
      add_tags: Type.Optional(Tags),
      remove_tags: Type.Optional(Tags),
    },
    { minProperties: 1 },
  ),
});

export const BulkResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Uuid,
      ok: Type.Boolean(),
      error: Type.Optional(
        Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
      ),
    }),
  ),
});
