import { sql, type RawBuilder } from 'kysely';

/**
 * Keyset cursors on timestamps need PostgreSQL's microseconds: a JavaScript Date keeps only
 * milliseconds, so rows written in the same millisecond would be skipped or repeated.
 * Rows select `microsOf(column)` and cursors compare with `fromMicros(value)`.
 */
export function microsOf(column: string): RawBuilder<number> {
  return sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint`;
}

export function fromMicros(micros: number): RawBuilder<Date> {
  return sql<Date>`(timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond')`;
}
