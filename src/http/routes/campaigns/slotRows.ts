// Pickup slots as rows (the per-site table's inputs, or CSV lines): each checked with the campaign API's slot
// schema, times read in the campaign's zone; problems keyed by the row (table row or CSV line) they came from.

import type { SlotInput } from '../../../domain/campaign.js';
import { type Problem, problem } from '../../../domain/errors.js';
import { type RowError, readCsv, rowErrors } from '../../csvRows.js';
import { problemsOf } from '../../problems.js';
import { check } from '../../validate.js';
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
    const problems: Problem[] = [];
    const s = check(slotSchema, {
      ...cells,
      starts_at: isoLocal(cells.starts_at),
      ends_at: isoLocal(cells.ends_at),
    });
    if (!s.success) problems.push(...problemsOf(s.error));
    // each moment is read even when another cell failed, so the row's every fault is named at once
    const starts = cells.starts_at ? toInstant(isoLocal(cells.starts_at), zone) : undefined;
    const ends = cells.ends_at ? toInstant(isoLocal(cells.ends_at), zone) : undefined;
    if (cells.starts_at && !starts) problems.push(problem('starts_at', 'not_a_moment'));
    if (cells.ends_at && !ends) problems.push(problem('ends_at', 'not_a_moment'));
    if (s.success && starts && ends) {
      slots.push({
        id: s.data.id,
        site_id: s.data.site_id,
        starts_at: starts,
        ends_at: ends,
        capacity: s.data.capacity,
      });
      refs.push(ref);
    }
    errors.push(...rowErrors(ref, problems));
  }
  return { slots, refs, errors };
}

/**
 * An id for a table row left without one, from its site and its start as typed: PH-A and 2026-12-05T09:00 give
 * PH-A-20261205-0900 (PH-A-20261205-0900-2 when that is taken). A slot's id is only a key (the counter, the stock
 * page and a resident's result show its time), and the table shows it back once saved, so the admin need not
 * invent one. Undefined when the start cannot be read (the row's start is then refused on its own).
 */
export function slotIdFor(siteId: string, starts: string, taken: ReadonlySet<string>): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2})/.exec(isoLocal(starts));
  if (!m) return undefined;
  const base = `${siteId}-${m[1]}${m[2]}${m[3]}-${m[4]!.padStart(2, '0')}${m[5]}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
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

/** The command's problems ("slots.3.capacity") as row errors in the row slot 3 came from; others are line 0. */
export function slotErrorsByRow(problems: readonly Problem[], refs: number[]): RowError[] {
  return problems
    .map((p): RowError => {
      const m = /^slots\.(\d+)\.(\w+)$/.exec(p.field);
      const ref = m ? refs[Number(m[1])] : undefined;
      return m && ref !== undefined ? { ...p, line: ref, field: m[2] } : { ...p, line: 0, field: undefined };
    })
    .sort((a, b) => a.line - b.line);
}
