/** A PostgreSQL unique violation (both drivers expose the SQLSTATE as `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

export type { IdempotencyRequest } from '../../platform/idempotency.js';
