// CSV an admin pastes or uploads (sites, a campaign's slots), read with csv-parse: a header row naming the
// columns, then one record per line. Problems come back per line, so a whole file can be fixed in one go.
import { parse as parseCsv } from 'csv-parse/sync';
import { csvLines, csvParseFault, MAX_CSV_RECORD_BYTES } from '../commands/csvFault.js';
import type { Problem } from '../domain/errors.js';
import { englishText } from './problems.js';

export interface CsvRow {
  /** the line the record starts on (the header is line 1) */
  line: number;
  cells: Record<string, string>;
}

/** A fault of one line (0: of the whole file), in a cell (`field`) or of the line; worded where it is shown. */
export interface RowError extends Omit<Problem, 'field'> {
  line: number;
  field?: string | undefined;
}

const lineError = (line: number, key: string, params?: Problem['params']): RowError =>
  params ? { line, key, params } : { line, key };

/** A line's fault in words: "capacity: 정수로 적어 주세요." with the cell named by `label`. */
export function rowText(e: RowError, text: (p: Problem) => string, label: (field: string) => string): string {
  const words = text({ ...e, field: e.field ?? '' });
  return e.field ? `${label(e.field)}: ${words}` : words;
}

/** What the API reports for a line: its number and the fault in English, as documented. */
export function rowsInEnglish(errors: readonly RowError[]): Array<{ line: number; message: string }> {
  return errors.map((e) => ({ line: e.line, message: rowText(e, englishText, (f) => f) }));
}

export const MAX_CSV_ROWS = 20_000;

/** The records of `text`; a header missing a required column, an unknown column or a malformed line is an error. */
export function readCsv(
  text: string,
  columns: { required: readonly string[]; optional: readonly string[] },
): { rows: CsvRow[]; errors: RowError[] } {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(csvLines(text.replace(/^\uFEFF/, '')), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: MAX_CSV_RECORD_BYTES,
    });
  } catch (err) {
    // a malformed file: our words for what csv-parse refused, on the line it names
    const { problem, line } = csvParseFault(err, '');
    return { rows: [], errors: [lineError(line ?? 1, problem.key, problem.params)] };
  }
  const header = Object.keys(records[0]?.record ?? {});
  const known = new Set([...columns.required, ...columns.optional]);
  const errors: RowError[] = [];
  if (records.length === 0) errors.push(lineError(1, 'csv_no_rows'));
  const missing = columns.required.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length)
    errors.push(lineError(1, 'csv_missing_columns', { columns: missing.join(', ') }));
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) errors.push(lineError(1, 'csv_unknown_columns', { columns: unknown.join(', ') }));
  if (records.length > MAX_CSV_ROWS) errors.push(lineError(1, 'csv_too_many_rows', { max: MAX_CSV_ROWS }));
  if (errors.length) return { rows: [], errors };
  // info.lines is the line the record ends on; records here are one line each unless a quoted cell spans lines.
  return { rows: records.map((r) => ({ line: r.info.lines, cells: r.record })), errors: [] };
}

/** One line's faults, each in its cell. */
export function rowErrors(line: number, problems: readonly Problem[]): RowError[] {
  return problems.map((p) => ({ ...p, line }));
}
