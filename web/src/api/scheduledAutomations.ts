/**
 * Scheduled automations as the web app uses them (Admin › Automations). Shapes follow
 * src/modules/automation/scheduled/rule-schemas.ts (docs/AUTOMATION.md, "Scheduled automations").
 */
import { asPage, request } from './http';
import { actionsForSave, type RuleAction, type RuleConditions } from './triggers';
import type { Page } from './types';

const enc = encodeURIComponent;

export interface ScheduledAutomation {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  position: number;
  conditions: RuleConditions;
  actions: RuleAction[];
  version: number;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
  /** Shown once, when the rule first gets a webhook action. */
  webhook_secret?: string;
}

export interface ScheduledAutomationInput {
  name: string;
  description: string;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleAction[];
}

export interface RunCounts {
  examined: number;
  matched: number;
  acted: number;
  already_acted: number;
  failed: number;
  more: boolean;
}

export interface PreviewCase {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  updated_at: string;
  already_acted: boolean;
}

export interface Preview {
  data: PreviewCase[];
  examined: number;
  truncated: boolean;
}

async function everyPage(signal?: AbortSignal): Promise<ScheduledAutomation[]> {
  const items: ScheduledAutomation[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = asPage(await request<Page<ScheduledAutomation>>('GET', '/automations', { query: { limit: 100, cursor }, signal }));
    items.push(...page.data);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

export const scheduledAutomations = {
  list: (signal?: AbortSignal) => everyPage(signal),
  create: (input: ScheduledAutomationInput) =>
    request<ScheduledAutomation>('POST', '/automations', { body: { ...input, actions: actionsForSave(input.actions) }, idempotent: true }),
  /** `version` is the one read: a newer one on the server answers 409. */
  update: (id: string, version: number, changes: Partial<ScheduledAutomationInput>) =>
    request<ScheduledAutomation>('PATCH', `/automations/${enc(id)}`, {
      body: { version, ...changes, ...(changes.actions ? { actions: actionsForSave(changes.actions) } : {}) },
    }),
  rotateSecret: (id: string, version: number) =>
    request<ScheduledAutomation>('PATCH', `/automations/${enc(id)}`, { body: { version, rotate_webhook_secret: true } }),
  remove: (id: string) => request<null>('DELETE', `/automations/${enc(id)}`),
  reorder: (ids: string[]) => request<Page<ScheduledAutomation>>('PUT', '/automations/order', { body: { automation_ids: ids } }),
  preview: (id: string, signal?: AbortSignal) => request<Preview>('GET', `/automations/${enc(id)}/preview`, { signal }),
  run: (id: string) => request<RunCounts>('POST', `/automations/${enc(id)}/run`),
};
