/**
 * Triggers and automation rules as the web app uses them (Admin › Triggers, the case history).
 * Shapes follow src/modules/automation/rule-schema.ts and trigger-schemas.ts (docs/AUTOMATION.md).
 */
import { asPage, request } from './http';
import type { CaseCategory, CasePriority, CaseStatus, Page } from './types';

const enc = encodeURIComponent;

export const TRIGGER_EVENTS = [
  'case.created',
  'case.updated',
  'case.customer_replied',
  'case.agent_replied',
  'sla.warning',
  'sla.breach',
  'billing.event',
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export const CONDITION_FIELDS = [
  'status',
  'priority',
  'category',
  'type',
  'channel',
  'team_id',
  'assignee_id',
  'tags',
  'customer_tags',
  'customer_tier',
  'subject',
  'hours_since_created',
  'hours_since_updated',
  'hours_since_status_change',
  'actor_type',
  'changed',
  'billing_event',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export type ConditionOperator =
  'is' | 'is_not' | 'in' | 'not_in' | 'includes' | 'not_includes' | 'contains' | 'gt' | 'lt' | 'changed_to' | 'changed_from';

export interface RuleCondition {
  field: ConditionField;
  operator: ConditionOperator;
  value: string | number | null | string[];
}
export interface RuleConditions {
  all: RuleCondition[];
  any: RuleCondition[];
}

export const ACTION_TYPES = [
  'set_status',
  'set_priority',
  'set_category',
  'assign_team',
  'assign_agent',
  'add_tags',
  'remove_tags',
  'send_message',
  'notify',
  'webhook',
] as const;
export type RuleActionType = (typeof ACTION_TYPES)[number];

export type RuleAction =
  | { type: 'set_status'; status: CaseStatus }
  | { type: 'set_priority'; priority: CasePriority }
  | { type: 'set_category'; category: CaseCategory }
  | { type: 'assign_team'; team_id: string; queue_id?: string | null }
  | { type: 'assign_agent'; agent_id: string | null }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  | { type: 'send_message'; visibility: 'public' | 'internal'; body: string }
  | {
      type: 'notify';
      agent_ids?: string[];
      roles?: ('agent' | 'supervisor' | 'admin')[];
      assignee?: boolean;
      subject: string;
      body: string;
    }
  | { type: 'webhook'; url: string; secret_set?: boolean };

export interface Trigger {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  position: number;
  events: TriggerEvent[];
  conditions: RuleConditions;
  actions: RuleAction[];
  /** Only in the answer that created or rotated the webhook secret. */
  webhook_secret?: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TriggerInput {
  name: string;
  description: string;
  enabled: boolean;
  events: TriggerEvent[];
  conditions: RuleConditions;
  actions: RuleAction[];
}

export interface ActionResult {
  type: string;
  ok: boolean;
  detail?: Record<string, unknown>;
  error?: string;
}

export interface AutomationRun {
  id: string;
  rule_kind: 'trigger' | 'automation';
  rule_id: string;
  rule_name: string;
  case_id: string;
  event_id: number | null;
  event_type: string | null;
  outcome: 'applied' | 'skipped';
  skip_reason: string | null;
  action_results: ActionResult[];
  depth: number;
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  delivery_id: string;
  case_id: string | null;
  url: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'given_up';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: string;
}

/** Webhook actions as sent: the read-only `secret_set` flag stays out. */
export function actionsForSave(actions: RuleAction[]): RuleAction[] {
  return actions.map((a) => (a.type === 'webhook' ? { type: 'webhook', url: a.url } : a));
}

async function everyTrigger(signal?: AbortSignal): Promise<Trigger[]> {
  const items: Trigger[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = asPage(await request<Page<Trigger>>('GET', '/triggers', { query: { limit: 100, cursor }, signal }));
    items.push(...page.data);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

export const triggers = {
  list: (signal?: AbortSignal) => everyTrigger(signal),
  create: (input: TriggerInput) =>
    request<Trigger>('POST', '/triggers', { body: { ...input, actions: actionsForSave(input.actions) }, idempotent: true }),
  update: (id: string, changes: Partial<TriggerInput> & { version: number; rotate_webhook_secret?: boolean }) =>
    request<Trigger>('PATCH', `/triggers/${enc(id)}`, {
      body: changes.actions ? { ...changes, actions: actionsForSave(changes.actions) } : changes,
    }),
  remove: (id: string) => request<null>('DELETE', `/triggers/${enc(id)}`),
  reorder: (triggerIds: string[]) => request<Page<Trigger>>('PUT', '/triggers/order', { body: { trigger_ids: triggerIds } }),
  deliveries: (id: string, signal?: AbortSignal) =>
    request<Page<WebhookDelivery>>('GET', `/triggers/${enc(id)}/deliveries`, { query: { limit: 20 }, signal }),
  runsOfCase: (caseId: string, signal?: AbortSignal) =>
    request<Page<AutomationRun>>('GET', `/cases/${enc(caseId)}/automation-runs`, { query: { limit: 50 }, signal }),
};
