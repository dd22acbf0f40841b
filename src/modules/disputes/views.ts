import { Type, type Static, type TSchema } from 'typebox';
import { formatMoney } from '../billing/money.js';
import { KIND_LABELS, reasonLabel, type RequirementView } from './requirements.js';
import { DISPUTE_REASONS, DISPUTE_STATUSES, EVIDENCE_KINDS, type DisputeEvidenceItemsTable } from './schema.js';
import type { DisputeListRow } from './store.js';
import type { Selectable } from 'kysely';

/** Response shapes of the disputes module (TypeBox, published in OpenAPI) and row -> view mappers. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Id = Type.String({ format: 'uuid' });

export const DisputeSummarySchema = Type.Object({
  id: Id,
  customer: Type.Object({ id: Id, name: Type.String() }),
  case: Nullable(Type.Object({ id: Id, number: Type.Integer(), status: Type.String() })),
  account_id: Nullable(Id),
  payment_id: Nullable(Id),
  source: Type.Enum(['stripe', 'manual']),
  external_id: Nullable(Type.String()),
  charge_external_id: Nullable(Type.String()),
  amount_minor: Type.Integer({ description: 'Disputed amount in minor units (cents)' }),
  currency: Type.String({ description: 'ISO 4217' }),
  amount_display: Type.String({ description: 'e.g. "49.90 EUR"' }),
  reason: Type.Enum([...DISPUTE_REASONS]),
  reason_label: Type.String(),
  network_reason_code: Nullable(Type.String()),
  status: Type.Enum([...DISPUTE_STATUSES]),
  evidence_due_at: Nullable(DateTime),
  funds_withdrawn_minor: Type.Integer(),
  funds_reinstated_minor: Type.Integer(),
  outcome: Nullable(Type.Enum(['won', 'lost'])),
  outcome_at: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
});
export type DisputeSummaryView = Static<typeof DisputeSummarySchema>;

export const EvidenceItemSchema = Type.Object({
  id: Id,
  kind: Type.Enum([...EVIDENCE_KINDS]),
  kind_label: Type.String(),
  title: Type.String(),
  body: Type.String(),
  file_id: Nullable(Id),
  origin: Type.Enum(['prefill', 'agent']),
  edited: Type.Boolean({ description: 'A prefilled item the agent changed; re-running the prefill keeps it' }),
  included: Type.Boolean(),
  position: Type.Integer(),
  created_at: DateTime,
  updated_at: DateTime,
});
export type EvidenceItemView = Static<typeof EvidenceItemSchema>;

export const RequirementSchema = Type.Object({
  kind: Type.Enum([...EVIDENCE_KINDS]),
  label: Type.String(),
  required: Type.Boolean(),
  satisfied: Type.Boolean(),
});

export const SubmissionSchema = Type.Object({
  submitted_at: DateTime,
  submitted_by: Nullable(Id),
  packet_file_id: Nullable(Id),
  packet_sha256: Type.String(),
  packet_url: Nullable(Type.String({ description: 'Signed, expiring download link of the submitted packet' })),
});
export type SubmissionView = Static<typeof SubmissionSchema>;

export const DisputeViewSchema = Type.Object({
  ...DisputeSummarySchema.properties,
  requirements: Type.Array(RequirementSchema),
  evidence: Type.Array(EvidenceItemSchema),
  submission: Nullable(SubmissionSchema),
  can_submit: Type.Boolean({ description: 'Open for evidence: needs a response and the due date has not passed' }),
});
export type DisputeView = Static<typeof DisputeViewSchema>;

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

export function toDisputeSummary(row: DisputeListRow): DisputeSummaryView {
  return {
    id: row.id,
    customer: { id: row.customer_id, name: row.customer_name ?? '' },
    case: row.case_id && row.case_number !== null ? { id: row.case_id, number: row.case_number, status: row.case_status ?? '' } : null,
    account_id: row.account_id,
    payment_id: row.payment_id,
    source: row.source,
    external_id: row.external_id,
    charge_external_id: row.charge_external_id,
    amount_minor: row.amount_minor,
    currency: row.currency,
    amount_display: formatMoney(row.amount_minor, row.currency),
    reason: row.reason,
    reason_label: reasonLabel(row.reason),
    network_reason_code: row.network_reason_code,
    status: row.status,
    evidence_due_at: iso(row.evidence_due_at),
    funds_withdrawn_minor: row.funds_withdrawn_minor,
    funds_reinstated_minor: row.funds_reinstated_minor,
    outcome: row.outcome,
    outcome_at: iso(row.outcome_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type EvidenceItemRow = Selectable<DisputeEvidenceItemsTable>;

export function toEvidenceItemView(row: EvidenceItemRow): EvidenceItemView {
  return {
    id: row.id,
    kind: row.kind,
    kind_label: KIND_LABELS[row.kind],
    title: row.title,
    body: row.body,
    file_id: row.file_id,
    origin: row.origin,
    edited: row.edited_at !== null,
    included: row.included,
    position: row.position,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type { RequirementView };
