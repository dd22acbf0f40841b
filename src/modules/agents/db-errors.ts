/** A PostgreSQL unique violation (both drivers expose the SQLSTATE as `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** What a create needs for Idempotency-Key handling (computed by the route from the request). */
export interface IdempotencyRequest {
  key: string | undefined;
  requestHash: string;
}
