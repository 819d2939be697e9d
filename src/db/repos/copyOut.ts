// Reading a million rows through COPY ... TO STDOUT instead of node-pg row objects: the bytes come in
// chunks and are cut into fields here (the frozen roster, the published results).
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db, Trx } from '../knex.js';

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A COPY text field: latin1 when plain ASCII (the common case), else UTF-8, backslash escapes undone. */
function decodeField(buf: Buffer, start: number, end: number, plain: boolean): string {
  if (plain) return buf.toString('latin1', start, end);
  const s = buf.toString('utf8', start, end);
  // Octal/hex escapes are not produced by COPY TO for text; the single-character ones are.
  return s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c) : s;
}

/**
 * The text of `COPY (query) TO STDOUT` in pieces that each end at the end of a row. Runs on db's connection
 * (a transaction's own when db is one). A consumer that stops early gets the connection closed, not
 * returned to the pool half way through a COPY.
 */
export async function* copyLines(db: Db | Trx, query: string): AsyncGenerator<Buffer> {
  const conn = (await db.client.acquireConnection()) as pg.Client;
  let finished = false;
  try {
    const stream = conn.query(copyTo(`COPY (${query}) TO STDOUT`));
    let rest: Buffer | undefined;
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const buf = rest ? Buffer.concat([rest, piece]) : piece;
      const end = buf.lastIndexOf(0x0a) + 1;
      rest = end < buf.length ? buf.subarray(end) : undefined;
      if (end > 0) yield buf.subarray(0, end);
    }
    if (rest) throw new Error('the COPY ended in the middle of a row');
    finished = true;
  } finally {
    if (!finished) await conn.end().catch(() => {});
    await db.client.releaseConnection(conn);
  }
}

/** Calls row with the fields of each row of whole-row COPY text, decoded to strings (the array is reused). */
export function eachRow(buf: Buffer, width: number, row: (fields: string[]) => void): void {
  const fields = new Array<string>(width).fill('');
  let f = 0;
  let start = 0;
  let plain = true;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === 0x09 || b === 0x0a) {
      fields[f++] = decodeField(buf, start, i, plain);
      start = i + 1;
      plain = true;
      if (b === 0x0a) {
        if (f !== width) throw new Error(`a COPY row with ${f} fields, not ${width}`);
        row(fields);
        f = 0;
      }
    } else if (b >= 0x80 || b === 0x5c) {
      plain = false;
    }
  }
}
