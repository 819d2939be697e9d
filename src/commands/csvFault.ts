// A CSV file csv-parse cannot read: the library refuses it in its own English ("Quote Not Closed: the parsing is
// finished with an opening quote at line 3"), which reached Korean pages as it was. Its error's code becomes a
// fault of the validation catalogue instead, worded where it is shown, with the line the library names.
import { type Problem, problem } from '../domain/errors.js';

/** The longest record (in bytes) the admin CSV imports read; csv-parse refuses a longer one. */
export const MAX_CSV_RECORD_BYTES = 10_000;

/**
 * Text for csv-parse with every line ending a line feed: inside a quoted cell it counts a CR LF as two lines, so
 * a quote left open in a pasted file (a browser sends a textarea's lines as CR LF) was placed lines too far down.
 */
export const csvLines = (text: string): string => text.replace(/\r\n?/g, '\n');

interface CsvParseError {
  code?: unknown;
  lines?: unknown;
  columns?: unknown;
  record?: unknown;
}

/** csv-parse's refusal as a fault of `field`, and the line it names (undefined when it names none). */
export function csvParseFault(err: unknown, field: string): { problem: Problem; line: number | undefined } {
  const e = (err ?? {}) as CsvParseError;
  const line = typeof e.lines === 'number' && e.lines > 0 ? e.lines : undefined;
  return { problem: faultOf(e, field), line };
}

function faultOf(e: CsvParseError, field: string): Problem {
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      // the header's columns against the cells this line has
      if (Array.isArray(e.columns) && Array.isArray(e.record))
        return problem(field, 'csv_cell_count', { got: e.record.length, expected: e.columns.length });
      return problem(field, 'csv_unreadable');
    case 'CSV_QUOTE_NOT_CLOSED':
      return problem(field, 'csv_quote_not_closed');
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return problem(field, 'csv_stray_quote');
    case 'CSV_MAX_RECORD_SIZE':
      return problem(field, 'csv_line_too_long', { max: MAX_CSV_RECORD_BYTES });
    default:
      return problem(field, 'csv_unreadable');
  }
}
