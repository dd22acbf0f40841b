/**
 * The disputes (chargebacks) API as the web app uses it: the dispute of a case, its evidence
 * builder, the packet PDF, submission, outcomes, the list and the outcome report.
 * Shapes follow src/modules/disputes/ route schemas (BILLING.md, part D).
 */
import { API_BASE, asList, asPage, request } from './http';
import type { Page } from './types';

const enc = encodeURIComponent;

export const DISPUTE_REASONS = [
  'bank_cannot_process',
  'check_returned',
  'credit_not_processed',
  'customer_initiated',
  'debit_not_authorized',
  'duplicate',
  'fraudulent',
  'general',
  'incorrect_account_details',
  'insufficient_funds',
  'noncompliant',
  'product_not_received',
  'product_unacceptable',
  'subscription_canceled',
  'unrecognized',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** Stripe's statuses; `won`, `lost`, `warning_closed` and `prevented` are final. */
export const DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export type DisputeOutcome = 'won' | 'lost';

export const EVIDENCE_KINDS = [
  'receipt',
  'customer_communication',
  'refund_policy',
  'cancellation_policy',
  'service_documentation',
  'shipping_documentation',
  'prior_undisputed_payments',
  'customer_details',
  'uncategorized',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceRequirement {
  kind: EvidenceKind;
  label: string;
  required: boolean;
  satisfied: boolean;
}

export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  kind_label?: string;
  title: string;
  body: string;
  file_id: string | null;
  origin: 'prefill' | 'agent';
  /** A prefilled item an agent changed (prefilling again keeps it). */
  edited?: boolean;
  included: boolean;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface DisputeSubmission {
  submitted_at: string;
  /** The agent's id (null: submitted by the system). */
  submitted_by: string | null;
  packet_file_id: string | null;
  packet_sha256: string;
  packet_url: string | null;
}

/** A row of the disputes list (and the base of the full view). */
export interface DisputeSummary {
  id: string;
  customer: { id: string; name: string };
  case: { id: string; number: number; status: string } | null;
  account_id: string | null;
  payment_id: string | null;
  source: 'stripe' | 'manual';
  external_id: string | null;
  charge_external_id: string | null;
  amount_minor: number;
  currency: string;
  /** "49.90 EUR" (the web formats amount_minor for the agent's locale instead). */
  amount_display?: string;
  reason: DisputeReason;
  reason_label?: string;
  network_reason_code: string | null;
  status: DisputeStatus;
  evidence_due_at: string | null;
  funds_withdrawn_minor: number;
  funds_reinstated_minor: number;
  outcome: DisputeOutcome | null;
  outcome_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Dispute extends DisputeSummary {
  requirements: EvidenceRequirement[];
  evidence: EvidenceItem[];
  submission: DisputeSubmission | null;
  /** Open for evidence: needs a response and the due date has not passed. */
  can_submit: boolean;
}

export interface NewDispute {
  customer_id: string;
  /** This case becomes the dispute's case; without, a dispute case opens. */
  case_id?: string;
  payment_id?: string;
  /** Default: the payment's amount and currency. */
  amount_minor?: number;
  currency?: string;
  reason: DisputeReason;
  network_reason_code?: string;
  evidence_due_at?: string | null;
  external_id?: string;
}

export interface EvidenceInput {
  kind: EvidenceKind;
  title: string;
  body: string;
  included?: boolean;
}

export type DisputeListFilter = 'open' | 'won' | 'lost' | 'due_soon';

export interface DisputeListQuery {
  status?: DisputeStatus[];
  /** `none`: not decided yet. */
  outcome?: (DisputeOutcome | 'none')[];
  due_before?: string;
  customer_id?: string;
  limit?: number;
  cursor?: string;
}

export interface MoneyTotal {
  currency: string;
  amount_minor: number;
}

export type ReportBucket = 'won' | 'lost' | 'open';

/** won / (won + lost); null while nothing was decided. */
export type WinRate = number | null;

export interface DisputeReport {
  totals: { won: number; lost: number; open: number; closed_other: number; win_rate: WinRate };
  by_currency: ({ currency: string; win_rate: WinRate } & Record<ReportBucket, { count: number; amount_minor: number }>)[];
  by_reason: ({ reason: DisputeReason; reason_label: string; win_rate: WinRate } & Record<
    ReportBucket,
    { count: number; amounts: MoneyTotal[] }
  >)[];
}

export const disputes = {
  list: async (query: DisputeListQuery, signal?: AbortSignal): Promise<Page<DisputeSummary>> =>
    asPage(await request<Page<DisputeSummary>>('GET', '/disputes', { query: { ...query }, signal })),
  get: (id: string, signal?: AbortSignal) => request<Dispute>('GET', `/disputes/${enc(id)}`, { signal }),
  ofCase: (caseId: string, signal?: AbortSignal) => request<Dispute>('GET', `/cases/${enc(caseId)}/dispute`, { signal }),
  create: (input: NewDispute) => request<Dispute>('POST', '/disputes', { body: input, idempotent: true }),
  report: (signal?: AbortSignal) => request<DisputeReport>('GET', '/disputes/report', { signal }),

  evidence: async (id: string, signal?: AbortSignal): Promise<EvidenceItem[]> =>
    asList(await request<{ data: EvidenceItem[] }>('GET', `/disputes/${enc(id)}/evidence`, { signal })),
  addEvidence: (id: string, input: EvidenceInput) =>
    request<EvidenceItem>('POST', `/disputes/${enc(id)}/evidence`, { body: input, idempotent: true }),
  updateEvidence: (id: string, itemId: string, changes: Partial<EvidenceInput>) =>
    request<EvidenceItem>('PATCH', `/disputes/${enc(id)}/evidence/${enc(itemId)}`, { body: changes }),
  deleteEvidence: (id: string, itemId: string) => request<void>('DELETE', `/disputes/${enc(id)}/evidence/${enc(itemId)}`),
  prefill: (id: string) => request<{ data: EvidenceItem[] }>('POST', `/disputes/${enc(id)}/evidence/prefill`),
  /** Once per dispute: a second call answers 409 `dispute.already_submitted`. */
  submit: (id: string) => request<Dispute>('POST', `/disputes/${enc(id)}/submit`),
  recordOutcome: (id: string, outcome: DisputeOutcome) => request<Dispute>('POST', `/disputes/${enc(id)}/outcome`, { body: { outcome } }),

  /** A plain link: the browser downloads the PDF with the session cookie. */
  packetUrl: (id: string) => `${API_BASE}/disputes/${enc(id)}/packet.pdf`,
};

/** Final Stripe statuses, or a recorded outcome: the dispute is no longer worked. */
export function isClosed(d: Pick<DisputeSummary, 'status' | 'outcome'>): boolean {
  return d.outcome !== null || ['won', 'lost', 'warning_closed', 'prevented'].includes(d.status);
}
