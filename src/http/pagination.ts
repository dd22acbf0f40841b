import { validationError } from '../platform/errors.js';

/**
 * Opaque keyset cursors: base64url JSON of the last row's sort key. A cursor that does not
 * decode to the expected shape is a 400, never a silent first page.
 */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(
  raw: string | undefined,
  shape: ('string' | 'number' | 'nullable-string')[],
): (string | number | null)[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const invalid = () =>
    validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== shape.length) throw invalid();
  values.forEach((v, i) => {
    const kind = shape[i];
    const ok =
      kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'string'
          ? typeof v === 'string'
          : v === null || typeof v === 'string';
    if (!ok) throw invalid();
  });
  return values as (string | number | null)[];
}

/** Splits a fetched page of limit+1 rows into the page and the next cursor. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => (string | number | null)[],
): { data: T[]; next_cursor: string | null } {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, next_cursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
