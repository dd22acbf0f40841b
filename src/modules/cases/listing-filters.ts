import { Type } from 'typebox';
import { validationError } from '../../platform/errors.js';
import type { FieldProblem } from '../../http/validation.js';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  CHANNELS,
  type CaseCategory,
  type CasePriority,
  type CaseStatus,
  type Channel,
} from './schema.js';

/**
 * The inbox filters in their outside shape: the query string of GET /cases, and the `filters`
 * object a saved view stores. Lists are comma-separated, so a saved view's filters read exactly
 * like the URL of the list it was saved from.
 */
export const CASE_SORTS = ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc', 'number_desc'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
export const isUuid = (value: string) => UUID_RE.test(value);

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;

const listOf = (values: readonly string[]) => `Comma-separated, any of: ${values.join(', ')}`;
const DateTime = (description: string) => Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description }));

export const CaseFilterFields = {
  status: Type.Optional(Type.String({ maxLength: 100, description: listOf(CASE_STATUSES) })),
  priority: Type.Optional(Type.String({ maxLength: 100, description: listOf(CASE_PRIORITIES) })),
  category: Type.Optional(Type.String({ maxLength: 100, description: listOf(CASE_CATEGORIES) })),
  channel: Type.Optional(Type.Enum([...CHANNELS])),
  team_id: Type.Optional(Type.String({ format: 'uuid' })),
  queue_id: Type.Optional(Type.String({ format: 'uuid' })),
  assignee_id: Type.Optional(Type.String({ maxLength: 36, description: "'me', 'none' (unassigned) or an agent id" })),
  customer_id: Type.Optional(Type.String({ format: 'uuid' })),
  tags: Type.Optional(Type.String({ maxLength: 1100, description: 'Comma-separated; cases carrying all of these tags' })),
  created_after: DateTime('ISO 8601 date-time; cases created at or after'),
  created_before: DateTime('ISO 8601 date-time; cases created before'),
  updated_after: DateTime('ISO 8601 date-time; cases updated at or after'),
  updated_before: DateTime('ISO 8601 date-time; cases updated before'),
  solved_after: DateTime('ISO 8601 date-time; cases solved at or after'),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Full text over the subject and the messages (web-search syntax: "phrase", -word, or)',
    }),
  ),
};

/** The filters as written by a client (all strings). */
export interface CaseFilterParams {
  status?: string;
  priority?: string;
  category?: string;
  channel?: string;
  team_id?: string;
  queue_id?: string;
  assignee_id?: string;
  customer_id?: string;
  tags?: string;
  created_after?: string;
  created_before?: string;
  updated_after?: string;
  updated_before?: string;
  solved_after?: string;
  q?: string;
}

/** The filters as the listing applies them (combined with AND). */
export interface CaseListFilters {
  status?: CaseStatus[];
  priority?: CasePriority[];
  category?: CaseCategory[];
  channel?: Channel;
  team_id?: string;
  queue_id?: string;
  /** 'me' is the acting agent, 'none' unassigned cases. */
  assignee_id?: string;
  customer_id?: string;
  /** Cases carrying all of these tags. */
  tags?: string[];
  created_after?: Date;
  created_before?: Date;
  updated_after?: Date;
  updated_before?: Date;
  solved_after?: Date;
  q?: string;
}

const FILTER_KEYS = Object.keys(CaseFilterFields) as (keyof CaseFilterParams)[];

/**
 * Turns client-written filters into listing filters, or a 400 naming every bad field. The route
 * schema already checked types and lengths; this checks what a schema cannot say well (list
 * members) and re-checks everything, since saved views load their filters from the database.
 */
export function parseCaseFilters(params: CaseFilterParams, part: 'querystring' | 'body', fieldPrefix = ''): CaseListFilters {
  const problems: FieldProblem[] = [];
  const problem = (field: string, text: string) => problems.push({ field: `${fieldPrefix}${field}`, problem: text });
  const filters: CaseListFilters = {};

  for (const key of Object.keys(params)) {
    if (!FILTER_KEYS.includes(key as keyof CaseFilterParams)) problem(key, 'is not a known field');
  }
  const list = <T extends string>(field: keyof CaseFilterParams, allowed: readonly T[]): T[] | undefined => {
    const raw = params[field];
    if (raw === undefined) return undefined;
    const values = raw.split(',').map((v) => v.trim());
    if (values.some((v) => !(allowed as readonly string[]).includes(v))) {
      problem(field, `must be a comma-separated list of: ${allowed.join(', ')}`);
      return undefined;
    }
    return [...new Set(values)] as T[];
  };
  const uuid = (field: 'team_id' | 'queue_id' | 'customer_id') => {
    const raw = params[field];
    if (raw === undefined) return undefined;
    if (!isUuid(raw)) problem(field, 'must be a uuid');
    return raw.toLowerCase();
  };
  const date = (field: 'created_after' | 'created_before' | 'updated_after' | 'updated_before' | 'solved_after') => {
    const raw = params[field];
    if (raw === undefined) return undefined;
    const parsed = new Date(raw);
    if (!DATE_TIME_RE.test(raw) || Number.isNaN(parsed.getTime())) {
      problem(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T09:00:00Z');
      return undefined;
    }
    return parsed;
  };

  const status = list('status', CASE_STATUSES);
  const priority = list('priority', CASE_PRIORITIES);
  const category = list('category', CASE_CATEGORIES);
  if (status) filters.status = status;
  if (priority) filters.priority = priority;
  if (category) filters.category = category;
  if (params.channel !== undefined) {
    if ((CHANNELS as readonly string[]).includes(params.channel)) filters.channel = params.channel as Channel;
    else problem('channel', `must be one of: ${CHANNELS.join(', ')}`);
  }
  const teamId = uuid('team_id');
  const queueId = uuid('queue_id');
  const customerId = uuid('customer_id');
  if (teamId) filters.team_id = teamId;
  if (queueId) filters.queue_id = queueId;
  if (customerId) filters.customer_id = customerId;
  if (params.assignee_id !== undefined) {
    const a = params.assignee_id;
    if (a === 'me' || a === 'none') filters.assignee_id = a;
    else if (isUuid(a)) filters.assignee_id = a.toLowerCase();
    else problem('assignee_id', "must be 'me', 'none' or an agent id");
  }
  if (params.tags !== undefined) {
    const tags = [...new Set(params.tags.split(',').map((t) => t.trim()))];
    if (tags.some((t) => t.length === 0 || t.length > MAX_TAG_LENGTH) || tags.length > MAX_TAGS) {
      problem('tags', `must be a comma-separated list of at most ${MAX_TAGS} tags of 1-${MAX_TAG_LENGTH} characters`);
    } else filters.tags = tags;
  }
  for (const field of ['created_after', 'created_before', 'updated_after', 'updated_before', 'solved_after'] as const) {
    const value = date(field);
    if (value) filters[field] = value;
  }
  if (params.q !== undefined) {
    const q = params.q.trim();
    if (q.length === 0 || q.length > 200) problem('q', 'must be 1-200 characters');
    else filters.q = q;
  }

  if (problems.length > 0) {
    throw validationError('validation_failed', `The request ${part} is not valid`, { part, fields: problems });
  }
  return filters;
}

/** Filters back in their outside shape (what a saved view stores and shows). */
export function formatCaseFilters(filters: CaseListFilters): CaseFilterParams {
  const out: CaseFilterParams = {};
  if (filters.status) out.status = filters.status.join(',');
  if (filters.priority) out.priority = filters.priority.join(',');
  if (filters.category) out.category = filters.category.join(',');
  if (filters.channel) out.channel = filters.channel;
  if (filters.team_id) out.team_id = filters.team_id;
  if (filters.queue_id) out.queue_id = filters.queue_id;
  if (filters.assignee_id) out.assignee_id = filters.assignee_id;
  if (filters.customer_id) out.customer_id = filters.customer_id;
  if (filters.tags) out.tags = filters.tags.join(',');
  for (const field of ['created_after', 'created_before', 'updated_after', 'updated_before', 'solved_after'] as const) {
    const value = filters[field];
    if (value) out[field] = value.toISOString();
  }
  if (filters.q) out.q = filters.q;
  return out;
}
