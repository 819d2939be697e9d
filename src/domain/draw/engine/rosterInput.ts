// What the draw and the verifier take as a roster: entries (checked by validate.ts) or a RosterFile (read
// and checked by readRosterColumns), both made into columns here, in roster order or the order given.
import { DrawInputError } from '../errors.js';
import type { RosterEntry, Rules } from '../types.js';
import { checkRoster, entryFast, validateRules } from '../validate.js';
import {
  acceptedColumns,
  columnsOf,
  compareIds,
  entriesOf,
  idOf,
  idOrder,
  type RosterColumns,
  reordered,
} from './columns.js';
import { sortRoster } from './roster.js';
import { readRosterColumns } from './rosterJson.js';

const MADE_HERE = Symbol('readRosterFile');

/**
 * A roster file read by readRosterFile: its columns and the validated rules they were checked against.
 * readRosterColumns' checks are validateRoster's for these rules (all but duplicate ids, which the draw's
 * sort finds), so a draw or verifier given the same rules object skips validating 1M entries again.
 * Made only here and by RosterBuilder: holding one means the checks were run.
 */
export class RosterFile {
  #entries: RosterEntry[] | undefined;

  constructor(
    token: symbol,
    readonly columns: RosterColumns,
    readonly rules: Rules,
  ) {
    if (token !== MADE_HERE) throw new TypeError('a RosterFile is made by readRosterFile or a RosterBuilder');
  }

  /** The entries as objects, made on first use. */
  get entries(): RosterEntry[] {
    this.#entries ??= entriesOf(this.columns);
    return this.#entries;
  }
}

/** readRosterColumns as a RosterFile, which the draw and the verifier take as a roster already checked. */
export function readRosterFile(
  b: Uint8Array,
  rules: Rules,
  options: { inFileOrder?: boolean } = {},
): RosterFile | undefined {
  const columns = readRosterColumns(b, rules, options);
  return columns && new RosterFile(MADE_HERE, columns, rules);
}

/**
 * The columns as a RosterFile read against `rules`: for readers in this folder that checked them as
 * readRosterColumns does (rosterBuilder.ts); not exported from the engine.
 */
export function rosterFileOf(columns: RosterColumns, rules: Rules): RosterFile {
  return new RosterFile(MADE_HERE, columns, rules);
}

/**
 * validateRules(given), or the rules a RosterFile was read against when `given` is that very object: they
 * were validated before the file was read (2.8 MB of rules with 23,000 sites, each validation ~0.1 s).
 */
export function validRules(given: unknown, roster: unknown): Rules {
  return roster instanceof RosterFile && roster.rules === given
    ? roster.rules
    : validateRules(given, '$.rules');
}

/** A checked roster: its columns, and its entries (in the same order) when it was given as entries. */
export interface RosterInput {
  columns: RosterColumns;
  entries: RosterEntry[] | undefined;
}

/** The names columnsOf numbers groups and sites by, as readRosterColumns does. */
export const namesOf = (rules: Rules) => ({
  groups: ['', ...rules.groups.map((g) => g.name)],
  sites: rules.sites.map((s) => s.id),
});

/**
 * The roster checked against `rules` (validateRoster's checks but duplicates), as columns: sorted by
 * utf8(public_id) with `sort` (a duplicate id is an error then), else in the order given. A RosterFile
 * read against `given` itself (the rules object the caller was given, of which `rules` is the validated
 * copy) is taken as read; any other RosterFile is checked as entries.
 */
export function rosterInput(
  roster: unknown,
  given: unknown,
  rules: Rules,
  options: { path: string; sort: boolean },
): RosterInput {
  if (roster instanceof RosterFile && roster.rules === given) {
    return ordered({ columns: roster.columns, entries: undefined }, options);
  }
  const raw = roster instanceof RosterFile ? roster.entries : roster;
  // The common case checked and made into columns in one pass; otherwise entry by entry (validate.ts)
  const plain = (v: unknown) => {
    const e = entryFast(v);
    return e && e.request % rules.denomination === 0 ? e : undefined;
  };
  const columns = Array.isArray(raw) ? acceptedColumns(raw, namesOf(rules), plain) : undefined;
  if (columns) return ordered({ columns, entries: (raw as RosterEntry[]).slice() }, options);
  const checked = checkRoster(raw, rules, { path: options.path, unique: false });
  // Duplicates are found by sortRoster, after sorting, without a Set of every id.
  const entries = options.sort ? sortRoster(checked.entries, checked) : checked.entries;
  return { columns: columnsOf(entries, namesOf(rules)), entries };
}

/** The roster as given, or with `sort` in id order (entries too), a duplicate id being an error then. */
function ordered(r: RosterInput, options: { path: string; sort: boolean }): RosterInput {
  if (!options.sort) return r;
  let { columns, entries } = r;
  if (!isSorted(columns)) {
    const order = idOrder(columns);
    columns = reordered(columns, order);
    if (entries) {
      const given = entries;
      entries = Array.from(order, (i) => given[i]!);
    }
  }
  for (let i = 1; i < columns.length; i++) {
    if (compareIds(columns, i - 1, i) === 0) {
      const id = entries?.[i]?.public_id ?? idOf(columns, i);
      throw new DrawInputError(options.path, `duplicate public id ${JSON.stringify(id)}`);
    }
  }
  return { columns, entries };
}

function isSorted(c: RosterColumns): boolean {
  for (let i = 1; i < c.length; i++) if (compareIds(c, i - 1, i) > 0) return false;
  return true;
}
