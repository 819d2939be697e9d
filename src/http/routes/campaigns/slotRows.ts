// Pickup slots as rows (the per-site table's inputs, or CSV lines): each checked with the campaign API's slot
// schema, times read in the campaign's zone; problems keyed by the row (table row or CSV line) they came from.

import type { SlotInput } from '../../../domain/campaign.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import { type RowError, readCsv, rowErrors } from '../../csvRows.js';
import { parse } from '../../validate.js';
import { slotSchema, toInstant } from './schema.js';

export interface SlotRow {
  /** the table row number or CSV line */
  ref: number;
  cells: { id: string; site_id: string; starts_at: string; ends_at: string; capacity: string };
}

// "2026-12-05 09:00" is accepted as well as "2026-12-05T09:00".
const isoLocal = (s: string) => s.trim().replace(/^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})/, '$1T$2');

export function slotsFromRows(
  rows: SlotRow[],
  zone: string,
): { slots: SlotInput[]; refs: number[]; errors: RowError[] } {
  const slots: SlotInput[] = [];
  const refs: number[] = [];
  const errors: RowError[] = [];
  for (const { ref, cells } of rows) {
    const fields: FieldErrors = {};
    try {
      const s = parse(slotSchema, {
        ...cells,
        starts_at: isoLocal(cells.starts_at),
        ends_at: isoLocal(cells.ends_at),
      });
      const starts = toInstant(s.starts_at, zone);
      const ends = toInstant(s.ends_at, zone);
      if (!starts) fields.starts_at = 'Not a date and time (e.g. 2026-12-05 09:00)';
      if (!ends) fields.ends_at = 'Not a date and time (e.g. 2026-12-05 12:00)';
      if (starts && ends) {
        slots.push({ id: s.id, site_id: s.site_id, starts_at: starts, ends_at: ends, capacity: s.capacity });
        refs.push(ref);
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      Object.assign(fields, err.fields);
    }
    errors.push(...rowErrors(ref, fields));
  }
  return { slots, refs, errors };
}

export const SLOT_CSV_COLUMNS = {
  required: ['slot_id', 'site_id', 'starts_at', 'ends_at', 'capacity'],
  optional: [],
} as const;

export function slotRowsFromCsv(text: string): { rows: SlotRow[]; errors: RowError[] } {
  const { rows, errors } = readCsv(text, SLOT_CSV_COLUMNS);
  // readCsv returns rows only when the header names every required column, and csv-parse refuses a line with
  // fewer cells than the header: each cell below is there.
  return {
    errors,
    rows: rows.map(({ line, cells }) => ({
      ref: line,
      cells: {
        id: cells.slot_id!,
        site_id: cells.site_id!,
        starts_at: cells.starts_at!,
        ends_at: cells.ends_at!,
        capacity: cells.capacity!,
      },
    })),
  };
}

/** The command's field errors ("slots.3.capacity") as row errors, pointing at the row slot 3 came from. */
export function slotErrorsByRow(
  fields: FieldErrors,
  refs: number[],
): { rows: RowError[]; general: string[] } {
  const rows: RowError[] = [];
  const general: string[] = [];
  for (const [key, message] of Object.entries(fields)) {
    const m = /^slots\.(\d+)\.(\w+)$/.exec(key);
    const ref = m ? refs[Number(m[1])] : undefined;
    if (m && ref !== undefined) rows.push({ line: ref, message: `${m[2]}: ${message}` });
    else general.push(message);
  }
  return { rows: rows.sort((a, b) => a.line - b.line), general };
}
