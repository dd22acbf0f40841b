import { parse } from 'csv-parse/sync';
import { AppError, unprocessable } from '../../../platform/errors.js';

/** Limits of one import: the CSV text and the number of data rows. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

export interface CsvRow {
  /** Line of the file where the row is (the header is line 1), as a spreadsheet shows it. */
  row: number;
  values: Record<string, string>;
}

/**
 * Parses the CSV (comma separated, first line = header, RFC 4180 quoting, optional BOM) and checks
 * its columns: every required column present (one of each `oneOf` group), no unknown column (a
 * typo would otherwise silently lose a field), no column twice.
 */
export function parseImportCsv(
  csv: string,
  columns: { required: readonly string[]; optional: readonly string[]; oneOf?: readonly (readonly string[])[] },
): CsvRow[] {
  if (Buffer.byteLength(csv, 'utf8') > MAX_CSV_BYTES) {
    throw new AppError('too_large', 'billing.import_too_large', `The CSV may be at most ${MAX_CSV_BYTES / 1024 / 1024} MB`, {
      field: 'csv',
      max_bytes: MAX_CSV_BYTES,
    });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 100_000,
      relax_column_count: false,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw unprocessable('billing.import_invalid_csv', `The CSV cannot be read: ${message}`, { field: 'csv' });
  }
  const [header, ...data] = records;
  if (!header)
    throw unprocessable('billing.import_empty', 'The CSV is empty: it needs a header line and at least one row', { field: 'csv' });
  const names = header.record.map((name) => name.trim().toLowerCase());
  const known = new Set([...columns.required, ...columns.optional, ...(columns.oneOf ?? []).flat()]);
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw unprocessable('billing.import_unknown_column', `Unknown column(s): ${unknown.join(', ')}`, {
      field: 'csv',
      columns: unknown,
      allowed: [...known],
    });
  }
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0)
    throw unprocessable('billing.import_duplicate_column', `Column(s) given twice: ${twice.join(', ')}`, { field: 'csv', columns: twice });
  const missing = columns.required.filter((name) => !names.includes(name));
  for (const group of columns.oneOf ?? []) {
    if (!group.some((name) => names.includes(name))) missing.push(group.join(' or '));
  }
  if (missing.length > 0) {
    throw unprocessable('billing.import_missing_column', `Missing column(s): ${missing.join(', ')}`, { field: 'csv', columns: missing });
  }
  if (data.length === 0) throw unprocessable('billing.import_empty', 'The CSV has a header but no rows', { field: 'csv' });
  if (data.length > MAX_IMPORT_ROWS) {
    throw new AppError('too_large', 'billing.import_too_many_rows', `An import may have at most ${MAX_IMPORT_ROWS} rows`, {
      field: 'csv',
      max_rows: MAX_IMPORT_ROWS,
    });
  }
  return data.map(({ record, info }) => ({
    row: info.lines,
    values: Object.fromEntries(names.map((name, index) => [name, record[index] ?? ''])),
  }));
}
