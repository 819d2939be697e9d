// Reading a million rows through COPY ... TO STDOUT (FORMAT binary): every field comes with its length, so
// rows are cut without scanning for tabs or undoing escapes, integers arrive as integers, and short repeated
// strings (site ids, group names) are interned from their bytes without a string made per row.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Db, Trx } from '../knex.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]); // no flags, no header extension
const TRAILER = Buffer.from([0xff, 0xff]);

/** The end of the row starting at buf[pos], or -1 when buf ends before it does (or at the trailer, -2). */
function rowEnd(buf: Buffer, pos: number): number {
  if (pos + 2 > buf.length) return -1;
  const n = buf.readInt16BE(pos);
  if (n === -1) return -2;
  let p = pos + 2;
  for (let f = 0; f < n; f++) {
    if (p + 4 > buf.length) return -1;
    const len = buf.readInt32BE(p);
    p += 4 + Math.max(len, 0);
    if (p > buf.length) return -1;
  }
  return p;
}

/**
 * The rows of `COPY (query) TO STDOUT (FORMAT binary)` in pieces of whole rows (the header and trailer taken
 * off), on db's connection (a transaction's own when db is one). A consumer that stops early gets the
 * connection closed, not returned to the pool half way through a COPY.
 */
export async function* copyBinaryRows(db: Db | Trx, query: string): AsyncGenerator<Buffer> {
  const conn = (await db.client.acquireConnection()) as pg.Client;
  let finished = false;
  try {
    const stream = conn.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`));
    let rest: Buffer | undefined;
    let header = true;
    let trailer = false;
    for await (const piece of stream as AsyncIterable<Buffer>) {
      let buf = rest ? Buffer.concat([rest, piece]) : piece;
      if (header) {
        if (buf.length < 19) {
          rest = buf;
          continue;
        }
        if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY');
        const skip = 19 + buf.readInt32BE(15);
        if (buf.length < skip) {
          rest = buf;
          continue;
        }
        buf = buf.subarray(skip);
        header = false;
      }
      let end = 0;
      for (;;) {
        const next = rowEnd(buf, end);
        if (next === -2) trailer = true;
        if (next < 0) break;
        end = next;
      }
      rest = trailer ? undefined : end < buf.length ? buf.subarray(end) : undefined;
      if (end > 0) yield buf.subarray(0, end);
    }
    if (!trailer || rest) throw new Error('the COPY ended in the middle of a row');
    finished = true;
  } finally {
    if (!finished) await conn.end().catch(() => {});
    await db.client.releaseConnection(conn);
  }
}

/** The number of rows in whole-row pieces (as copyBinaryRows gives them). */
export function countRows(pieces: ReadonlyArray<Buffer | undefined>): number {
  let rows = 0;
  for (const piece of pieces) {
    for (let p = 0; piece && p < piece.length; rows++) p = rowEnd(piece, p);
  }
  return rows;
}

/**
 * `copy` (a COPY ... FROM STDIN) in binary format, of whole-row pieces as copyBinaryRows gives them, on the
 * transaction's own connection. `each` is called with every piece as the COPY takes it, so the caller's
 * work on the rows overlaps PostgreSQL's storing them; the array lets go of each piece once it is sent.
 */
export async function copyBinaryIn(
  trx: Trx,
  copy: string,
  pieces: Array<Buffer | undefined>,
  each: (piece: Buffer) => void,
): Promise<void> {
  function* data(): Generator<Buffer> {
    yield HEADER;
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k]!;
      pieces[k] = undefined;
      each(piece);
      yield piece;
    }
    yield TRAILER;
  }
  // Inside a transaction knex hands out the transaction's own connection (and releasing it is a no-op).
  const conn = (await trx.client.acquireConnection()) as pg.PoolClient;
  try {
    await pipeline(Readable.from(data()), conn.query(copyFrom(`${copy} (FORMAT binary)`)));
  } finally {
    await trx.client.releaseConnection(conn);
  }
}

/** A text field's bytes as a string: latin1 when plain ASCII (the common case, and cheaper), else UTF-8. */
export function textOf(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return buf.toString('utf8', start, end);
  return buf.toString('latin1', start, end);
}

/**
 * One string per distinct byte sequence, looked up from the bytes (FNV-1a, open addressing over an arena of
 * the known sequences): no string is made for a sequence seen before.
 */
export class Interner {
  private slots = new Int32Array(1024).fill(-1);
  private arena = new Uint8Array(4096);
  private used = 0;
  private ends = new Int32Array(512);
  private readonly strings: string[] = [];

  intern(buf: Buffer, start: number, end: number): string {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const { slots, arena, ends } = this;
    const mask = slots.length - 1;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = slots[s]!;
      if (k < 0) return this.add(s, buf, start, end);
      const from = k === 0 ? 0 : ends[k - 1]!;
      if (ends[k]! - from !== len) continue;
      let i = 0;
      while (i < len && arena[from + i] === buf[start + i]) i++;
      if (i === len) return this.strings[k]!;
    }
  }

  private add(slot: number, buf: Buffer, start: number, end: number): string {
    const s = textOf(buf, start, end);
    const k = this.strings.length;
    this.strings.push(s);
    this.slots[slot] = k;
    if (this.used + end - start > this.arena.length) {
      const a = new Uint8Array(2 * this.arena.length + end - start);
      a.set(this.arena);
      this.arena = a;
    }
    this.arena.set(buf.subarray(start, end), this.used);
    this.used += end - start;
    if (k >= this.ends.length) {
      const e = new Int32Array(2 * this.ends.length);
      e.set(this.ends);
      this.ends = e;
    }
    this.ends[k] = this.used;
    if (2 * this.strings.length > this.slots.length) this.grow();
    return s;
  }

  private grow(): void {
    const slots = new Int32Array(2 * this.slots.length).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.strings.length; k++) {
      let h = 0x811c9dc5 | 0;
      for (let i = k === 0 ? 0 : this.ends[k - 1]!; i < this.ends[k]!; i++)
        h = Math.imul(h ^ this.arena[i]!, 0x01000193);
      let s = h & mask;
      while (slots[s]! >= 0) s = (s + 1) & mask;
      slots[s] = k;
    }
    this.slots = slots;
  }
}
