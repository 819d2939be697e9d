// Roster order (DRAW-V1 section 2): bytewise by utf8(public_id), ascending, unique.
import { compareUtf8 } from './bytes.js';
import { DrawInputError } from './errors.js';
import type { RosterEntry } from './types.js';

// UTF-8 byte order is code point order. JS `<` compares UTF-16 code units, which agrees with code point
// order unless a string holds a surrogate or a code unit >= U+E000 (U+D800..U+FFFF). Only then do we pay
// for encoding each comparison.
const NEEDS_BYTES = /[\uD800-\uFFFF]/;

export function comparePublicIds(ids: readonly string[]): (a: string, b: string) => number {
  if (ids.some((id) => NEEDS_BYTES.test(id))) return compareUtf8;
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

/** A sorted copy; a duplicate public id is an error. */
export function sortRoster(entries: readonly RosterEntry[]): RosterEntry[] {
  const ids = entries.map((e) => e.public_id);
  const cmp = comparePublicIds(ids);
  let sorted = entries.slice();
  if (firstUnsortedId(ids, cmp) !== -1) {
    // Measured, 1,000,000 shuffled ids: an index sort over the id array 0.95 s, sorting the entry
    // objects by a property 1.9 s. Rosters read from the database usually arrive sorted: O(n) above.
    const order = new Uint32Array(ids.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => cmp(ids[a]!, ids[b]!));
    sorted = Array.from(order, (i) => entries[i]!);
  }
  for (let i = 1; i < sorted.length; i++) {
    if (cmp(sorted[i - 1]!.public_id, sorted[i]!.public_id) === 0) {
      throw new DrawInputError('$.roster', `duplicate public id ${JSON.stringify(sorted[i]!.public_id)}`);
    }
  }
  return sorted;
}

function firstUnsortedId(ids: readonly string[], cmp: (a: string, b: string) => number): number {
  for (let i = 1; i < ids.length; i++) if (cmp(ids[i - 1]!, ids[i]!) >= 0) return i;
  return -1;
}

/** The index of the first entry that is not strictly after its predecessor, or -1 when sorted and unique. */
export function firstUnsorted(entries: readonly RosterEntry[]): number {
  const ids = entries.map((e) => e.public_id);
  return firstUnsortedId(ids, comparePublicIds(ids));
}
