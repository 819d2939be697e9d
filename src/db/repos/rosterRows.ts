// Roster entries parsed from binary COPY rows (copyBinary.ts) whose first five fields are public_id,
// group_name, weight, request and preferences; further fields (idx, application_id at the close) are skipped.
// As entry objects (RosterRowParser) or pushed into the draw engine's columns (pushRosterRows).
import type { RosterBuilder, RosterEntry } from '../../domain/draw/index.js';
import { Interner, textOf } from './copyBinary.js';

/** What a row is pushed into: the draw engine's RosterBuilder, or RosterRowParser's entry objects. */
export type RosterRowSink = Pick<RosterBuilder, 'entry' | 'preference'>;

/** Parses whole rows into entry objects, appending to `out`; one per roster (its names interned across pieces). */
export class RosterRowParser {
  private readonly names = new Interner();
  private out: RosterEntry[] = [];
  /** the last entry's preferences so far, copied into it at the next entry (exactly n long: a pushed-to array keeps room for 17) */
  private readonly sites: string[] = [];
  private readonly sink: RosterRowSink = {
    entry: (b, idStart, idEnd, groupStart, groupEnd, weight, request) => {
      this.endEntry();
      const buf = b as Buffer;
      this.out.push({
        public_id: textOf(buf, idStart, idEnd),
        group: this.names.intern(buf, groupStart, groupEnd),
        weight,
        request,
        preferences: [],
      });
    },
    preference: (b, start, end) => {
      this.sites.push(this.names.intern(b as Buffer, start, end));
    },
  };

  parse(buf: Buffer, out: RosterEntry[]): void {
    this.out = out;
    pushRosterRows(buf, this.sink);
    this.endEntry();
  }

  private endEntry(): void {
    if (this.sites.length === 0) return;
    this.out[this.out.length - 1]!.preferences = this.sites.slice();
    this.sites.length = 0;
  }
}

/**
 * Pushes whole rows into `into` as bytes and numbers: no string or object per entry (the draw and the
 * close's leaf hashes read the engine's columns). The layout as RosterRowParser reads it.
 */
export function pushRosterRows(buf: Buffer, into: RosterRowSink): void {
  let p = 0;
  while (p < buf.length) {
    const fields = buf.readInt16BE(p);
    if (fields < 5) throw new Error(`a roster row of ${fields} fields`);
    const idStart = p + 6;
    const idEnd = idStart + buf.readInt32BE(p + 2);
    const groupStart = idEnd + 4;
    const groupEnd = groupStart + buf.readInt32BE(idEnd);
    p = groupEnd;
    const weight = buf.readInt32BE(p + 4);
    p += 8;
    const request = buf.readInt32BE(p + 4) * 4294967296 + buf.readUInt32BE(p + 8);
    p += 12;
    into.entry(buf, idStart, idEnd, groupStart, groupEnd, weight, request);
    const len = buf.readInt32BE(p);
    const ndim = buf.readInt32BE(p + 4);
    if (ndim === 1) {
      const n = buf.readInt32BE(p + 16);
      let q = p + 24;
      for (let i = 0; i < n; i++) {
        const l = buf.readInt32BE(q);
        into.preference(buf, q + 4, q + 4 + l);
        q += 4 + l;
      }
    } else if (ndim !== 0) throw new Error(`roster preferences with ${ndim} dimensions`);
    p += 4 + len;
    for (let f = 5; f < fields; f++) p += 4 + Math.max(0, buf.readInt32BE(p));
  }
}
