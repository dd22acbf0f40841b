import { Type } from 'typebox';
import { Closed, PageQuery, Uuid } from '../../http/schemas.js';
import { DISPUTE_REASONS, DISPUTE_STATUSES, EVIDENCE_KINDS } from './schema.js';

/** Request schemas of the disputes routes (closed objects, bounded strings). */

export const DisputeParams = Closed({ id: Uuid });
export const EvidenceItemParams = Closed({ id: Uuid, itemId: Uuid });
export const CaseDisputeParams = Closed({ caseId: Uuid });

export const DisputeListQuery = Closed({
  ...PageQuery,
  status: Type.Optional(Type.String({ maxLength: 300, description: `Comma-separated: ${DISPUTE_STATUSES.join(', ')}` })),
  outcome: Type.Optional(Type.String({ maxLength: 30, description: 'Comma-separated: won, lost, none (undecided)' })),
  due_before: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Evidence due before this time' })),
  customer_id: Type.Optional(Uuid),
});

export const ReportQuery = Closed({
  from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Disputes opened at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Disputes opened before' })),
});

export const CreateDisputeBody = Closed({
  customer_id: Uuid,
  payment_id: Type.Optional(Uuid),
  case_id: Type.Optional(Type.String({ format: 'uuid', description: 'Attach to this existing case (it becomes a dispute case)' })),
  amount_minor: Type.Optional(Type.Integer({ minimum: 1, description: 'Minor units; defaults to the payment amount' })),
  currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217; defaults to the payment currency' })),
  reason: Type.Enum([...DISPUTE_REASONS]),
  network_reason_code: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(Type.Enum(['needs_response', 'warning_needs_response'])),
  evidence_due_at: Type.Optional(Type.Union([Type.String({ format: 'date-time', maxLength: 40 }), Type.Null()])),
  external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The bank's or processor's reference" })),
});

export const OutcomeBody = Closed({ outcome: Type.Enum(['won', 'lost']) });

export const NewEvidenceBody = Closed({
  kind: Type.Enum([...EVIDENCE_KINDS]),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  body: Type.Optional(Type.String({ maxLength: 200_000 })),
  included: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});

export const UpdateEvidenceBody = Closed(
  {
    kind: Type.Optional(Type.Enum([...EVIDENCE_KINDS])),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    body: Type.Optional(Type.String({ maxLength: 200_000 })),
    included: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { minProperties: 1 },
);

export const SettingsBody = Closed(
  {
    refund_policy: Type.Optional(Type.String({ maxLength: 20_000 })),
    cancellation_policy: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { minProperties: 1 },
);

export const SettingsView = Type.Object({
  refund_policy: Type.String(),
  cancellation_policy: Type.String(),
  is_default: Type.Boolean({ description: "True while the workspace uses Baton's default texts" }),
  updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const NoContent = Type.Null({ description: 'No content' });
