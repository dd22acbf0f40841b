/**
 * The macros API as the web app uses it (src/modules/macros/routes.ts, docs/MACROS.md).
 */
import { request } from './http';
import type { CaseCategory, CaseDetail, CasePriority, CaseStatus, Page, Visibility } from './types';

const enc = encodeURIComponent;

export interface MacroChanges {
  status?: CaseStatus;
  priority?: CasePriority;
  category?: CaseCategory;
  team_id?: string | null;
  queue_id?: string | null;
  /** An agent id, "me" (whoever applies it) or null (unassign). */
  assignee?: string | null;
  add_tags?: string[];
  remove_tags?: string[];
}

export interface Macro {
  id: string;
  name: string;
  description: string;
  body: string;
  visibility: Visibility;
  changes: MacroChanges;
  shared: boolean;
  owner_agent_id: string | null;
  usage_count: number;
  last_used_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MacroInput {
  name: string;
  description: string;
  body: string;
  visibility: Visibility;
  changes: MacroChanges;
  shared: boolean;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface MacroPreview {
  macro: Macro;
  body: string;
  visibility: Visibility;
  changes: FieldChange[];
}

export interface MacroApplied extends MacroPreview {
  case: CaseDetail;
}

export interface Placeholder {
  name: string;
  description: string;
}

export type MacroScope = 'all' | 'shared' | 'personal';

export const macros = {
  list: (query: { q?: string; scope?: MacroScope; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    request<Page<Macro>>('GET', '/macros', { query: { limit: 50, ...query }, signal }),
  placeholders: (signal?: AbortSignal) => request<{ data: Placeholder[] }>('GET', '/macros/placeholders', { signal }),
  create: (input: MacroInput) => request<Macro>('POST', '/macros', { body: input, idempotent: true }),
  update: (id: string, version: number, changes: Partial<MacroInput>) =>
    request<Macro>('PATCH', `/macros/${enc(id)}`, { body: { version, ...changes } }),
  remove: (id: string) => request<null>('DELETE', `/macros/${enc(id)}`),
  preview: (caseId: string, macroId: string, signal?: AbortSignal) =>
    request<MacroPreview>('POST', `/cases/${enc(caseId)}/macros/${enc(macroId)}/preview`, { signal }),
  apply: (caseId: string, macroId: string, caseVersion: number) =>
    request<MacroApplied>('POST', `/cases/${enc(caseId)}/macros/${enc(macroId)}/apply`, { body: { case_version: caseVersion } }),
};
