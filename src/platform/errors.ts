/**
 * Typed application errors. Domain code throws these; src/http/error-handler.ts maps them to
 * HTTP in one place, with the body {error: {code, message, details}} of CONVENTIONS.md.
 * Codes are namespaced by module, e.g. `case.stale_version`, `auth.invalid_credentials`.
 */
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'too_large' // 413
  | 'unprocessable' // 422
  | 'rate_limited' // 429
  | 'unavailable'; // 503: a dependency (payment processor) is down; try again later

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class RateLimitedError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', code, message, { retry_after_seconds: retryAfterSeconds });
  }
}

export const validationError = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError('validation', code, message, details);
export const notFound = (what: string) =>
  new AppError('not_found', `${what}.not_found`, `This ${what.replace(/_/g, ' ')} does not exist or you may not see it`);
export const forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', code, message, details);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError('unprocessable', code, message, details);
export const unauthenticated = (code = 'auth.required', message = 'Sign in or send a valid API token') =>
  new AppError('unauthenticated', code, message);
