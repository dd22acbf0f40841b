import { CASE_FILTER_KEYS, CASE_SORTS, type CaseFilterKey, type CaseFilters, type CaseSort } from '../../api/types';

/** The inbox without any status in its address shows the work still to do (the server's open set). */
export const DEFAULT_STATUS = 'new,open,pending,on_hold';
export const DEFAULT_SORT: CaseSort = 'updated_desc';
export const SORT_OPTIONS: CaseSort[] = ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc', 'number_desc'];
export const PAGE_SIZE = 50;

const isFilterKey = (key: string): key is CaseFilterKey => (CASE_FILTER_KEYS as readonly string[]).includes(key);

/** Filters of the ad-hoc inbox, read from its address (the same keys as GET /cases). */
export function filtersFromParams(params: URLSearchParams): CaseFilters {
  const filters: CaseFilters = {};
  for (const [key, value] of params) if (isFilterKey(key) && value.trim()) filters[key] = value.trim();
  // No status at all means the default set; an explicit empty status means "any status".
  if (!params.has('status')) filters.status = DEFAULT_STATUS;
  return filters;
}

/** A view's filters, keeping only keys the list understands. */
export function filtersFromView(filters: CaseFilters | undefined): CaseFilters {
  const out: CaseFilters = {};
  for (const [key, value] of Object.entries(filters ?? {})) if (isFilterKey(key) && typeof value === 'string' && value) out[key] = value;
  return out;
}

/** The address of the ad-hoc inbox showing these filters. */
export function paramsFromFilters(filters: CaseFilters, sort?: string): URLSearchParams {
  const params = new URLSearchParams();
  params.set('status', filters.status ?? '');
  for (const key of CASE_FILTER_KEYS) {
    const value = filters[key];
    if (key !== 'status' && value) params.set(key, value);
  }
  if (sort && sort !== DEFAULT_SORT) params.set('sort', sort);
  return params;
}

/** Only the filters that are set, as a saved view stores them. */
export function compactFilters(filters: CaseFilters): CaseFilters {
  const out: CaseFilters = {};
  for (const key of CASE_FILTER_KEYS) if (filters[key]) out[key] = filters[key];
  return out;
}

export function parseSort(value: string | null | undefined): CaseSort | undefined {
  return (CASE_SORTS as readonly string[]).includes(value ?? '') ? (value as CaseSort) : undefined;
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function parseTags(input: string): string[] {
  return [...new Set(splitList(input))];
}
