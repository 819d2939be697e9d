// Roster entries parsed from binary COPY rows (copyBinary.ts) whose first five fields are public_id,
// group_name, weight, request and preferences; further fields (idx, application_id at the close) are skipped.
import type { RosterEntry } from '../../domain/draw/index.js';
import { Interner, textOf } from './copyBinary.js';

/** Parses whole rows, appending to `out`; one per roster (its names interned across pieces). */
export class RosterRowParser {
  private readonly names = new Interner();
  private readonly sites: string[] = [];

  parse(buf: Buffer, out: RosterEntry[]): void {
    const { names, sites } = this;
    let p = 0;
    while (p < buf.length) {
      // None NULL (NOT NULL columns): int16 field count, then per field int32 length and its bytes.
      const fields = buf.readInt16BE(p);
      if (fields < 5) throw new Error(`a roster row of ${fields} fields`);
      let len = buf.readInt32BE(p + 2);
      const publicId = textOf(buf, p + 6, p + 6 + len);
      p += 6 + len;
      len = buf.readInt32BE(p);
      const group = names.intern(buf, p + 4, p + 4 + len);
      p += 4 + len;
      const weight = buf.readInt32BE(p + 4);
      p += 8;
      // bigint: the high word times 2^32 plus the low word (requests are safe integers)
      const request = buf.readInt32BE(p + 4) * 4294967296 + buf.readUInt32BE(p + 8);
      p += 12;
      // text[]: ndim, has-null flag, element type, [length, lower bound], then per element length and bytes
      len = buf.readInt32BE(p);
      const ndim = buf.readInt32BE(p + 4);
      let preferences: string[] = [];
      if (ndim === 1) {
        const n = buf.readInt32BE(p + 16);
        let q = p + 24;
        for (let i = 0; i < n; i++) {
          const l = buf.readInt32BE(q);
          sites[i] = names.intern(buf, q + 4, q + 4 + l);
          q += 4 + l;
        }
        preferences = sites.slice(0, n); // exactly n long: a pushed-to array keeps room for 17
      } else if (ndim !== 0) throw new Error(`roster preferences with ${ndim} dimensions`);
      p += 4 + len;
      for (let f = 5; f < fields; f++) p += 4 + Math.max(0, buf.readInt32BE(p));
      out.push({ public_id: publicId, group, weight, request, preferences });
    }
  }
}
