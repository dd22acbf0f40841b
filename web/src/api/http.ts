/**
 * The one fetch wrapper: JSON in and out, the CSRF header on unsafe methods,
 * errors turned into ApiError from the `{error: {code, message, details}}` body.
 */

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Someone else changed the object first (`<type>.stale_version`). */
  get isStale(): boolean {
    return this.status === 409;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;
let unauthorizedListener: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request answers 401 (the session expired or was revoked). */
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as Idempotency-Key so a retried create is not applied twice. */
  idempotent?: boolean;
  /** A caller's own Idempotency-Key (kept across retries, e.g. one per dialog opening). */
  idempotencyKey?: string;
  /** Do not report a 401 as an expired session (login, session probe). */
  quiet401?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) {
    // multipart/form-data: the browser writes the Content-Type with its boundary.
    body = options.body;
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (options.idempotencyKey || options.idempotent) headers['Idempotency-Key'] = options.idempotencyKey || newIdempotencyKey();
  } else if (!SAFE_METHODS.has(method)) {
    // Fastify refuses an empty body with a JSON content type, so unsafe requests always send an object.
    body = JSON.stringify(options.body ?? {});
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (options.idempotencyKey || options.idempotent) headers['Idempotency-Key'] = options.idempotencyKey || newIdempotencyKey();
  }

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${buildQuery(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached. Check your connection and try again.');
  }

  const text = await response.text();
  let payload: unknown = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }

  if (!response.ok) {
    const err = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const code = typeof err?.code === 'string' ? err.code : `http.${response.status}`;
    const message = typeof err?.message === 'string' ? err.message : response.statusText || `HTTP ${response.status}`;
    if (response.status === 401 && !options.quiet401) unauthorizedListener?.();
    throw new ApiError(response.status, code, message, err?.details);
  }
  return payload as T;
}

/** Lists are `{data, next_cursor}`; a few admin routes may answer a bare array. Accept both. */
export function asList<T>(payload: T[] | { data: T[] } | null | undefined): T[] {
  if (!payload) return [];
  return Array.isArray(payload) ? payload : payload.data;
}

export function asPage<T>(payload: T[] | { data: T[]; next_cursor?: string | null } | null | undefined): {
  data: T[];
  next_cursor: string | null;
} {
  if (!payload) return { data: [], next_cursor: null };
  if (Array.isArray(payload)) return { data: payload, next_cursor: null };
  return { data: payload.data, next_cursor: payload.next_cursor ?? null };
}
