// CSV an admin pastes or uploads (sites, a campaign's slots), read with csv-parse: a header row naming the
// columns, then one record per line. Problems come back per line, so a whole file can be fixed in one go.
import { parse as parseCsv } from 'csv-parse/sync';

export interface CsvRow {
  /** the line the record starts on (the header is line 1) */
  line: number;
  cells: Record<string, string>;
}

export interface RowError {
  line: number;
  message: string;
}

export const MAX_CSV_ROWS = 20_000;

/** The records of `text`; a header missing a required column, an unknown column or a malformed line is an error. */
export function readCsv(
  text: string,
  columns: { required: readonly string[]; optional: readonly string[] },
): { rows: CsvRow[]; errors: RowError[] } {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 10_000,
    });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    return {
      rows: [],
      errors: [{ line: e.lines ?? 1, message: e.message.replace(/^Invalid Record Length: /, '') }],
    };
  }
  const header = Object.keys(records[0]?.record ?? {});
  const known = new Set([...columns.required, ...columns.optional]);
  const errors: RowError[] = [];
  if (records.length === 0)
    errors.push({ line: 1, message: 'No rows: write a header line, then one line per row' });
  const missing = columns.required.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length)
    errors.push({ line: 1, message: `Missing column(s): ${missing.join(', ')}` });
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) errors.push({ line: 1, message: `Unknown column(s): ${unknown.join(', ')}` });
  if (records.length > MAX_CSV_ROWS)
    errors.push({ line: 1, message: `At most ${MAX_CSV_ROWS} rows at once` });
  if (errors.length) return { rows: [], errors };
  // info.lines is the line the record ends on; records here are one line each unless a quoted cell spans lines.
  return { rows: records.map((r) => ({ line: r.info.lines, cells: r.record })), errors: [] };
}

/** "line 3: capacity: Must be a whole number" for each field problem of one row. */
export function rowErrors(line: number, fields: Record<string, string>): RowError[] {
  return Object.entries(fields).map(([field, message]) => ({ line, message: `${field}: ${message}` }));
}
