// RFC 6962 / RFC 9162 Merkle tree hash over the roster, its audit paths and their verification.
// Built level by level: pairing neighbours and promoting an odd last node unchanged gives the same tree
// as RFC 6962's "split at the largest power of two below n" (test/domain/draw/merkle.test.ts checks
// n = 1..70 against the literal recursion), without recursion or array copies.

import { equalBytes } from '../bytes.js';
import { sha256 } from '../hash.js';
import type { RosterEntry } from '../types.js';
import { MessageBatch } from './batch.js';
import { nodePairs, sha256Each } from './batchHash.js';
import { EntryWriter, entryChars, putEntry } from './columnJson.js';
import type { RosterColumns } from './columns.js';
import { entryJson } from './encode.js';
import { sha256Into } from './sha256.js';

const encoder = new TextEncoder();
const EMPTY_ROOT = sha256(new Uint8Array(0));

/** SHA-256(0x00 || utf8(cjson(entry))) */
export function leafHash(entry: RosterEntry): Uint8Array {
  const out = new Uint8Array(32);
  const bytes = encoder.encode(`\u0000${entryJson(entry)}`);
  sha256Into(bytes, bytes.length, out, 0);
  return out;
}

const LEAF_BATCH = 4096;

/**
 * All leaf hashes of entry objects, 32 bytes each, concatenated in roster order, 4096 to a batch hashed in
 * one call (sha256Each: WebAssembly under Node). Entries are written from the objects (putEntry).
 */
export function leafHashes(entries: readonly RosterEntry[]): Uint8Array {
  const out = new Uint8Array(32 * entries.length);
  const batch = new MessageBatch(LEAF_BATCH);
  for (let i0 = 0; i0 < entries.length; i0 += LEAF_BATCH) {
    const count = Math.min(LEAF_BATCH, entries.length - i0);
    batch.clear();
    for (let k = 0; k < count; k++) {
      const e = entries[i0 + k]!;
      const start = batch.end;
      let buf = batch.room(1 + 2 * entryChars(e) + 256);
      buf[start] = 0;
      let end = putEntry(buf, start + 1, e);
      if (end < 0) {
        const json = entryJson(e);
        buf = batch.room(1 + 3 * json.length);
        end = start + 1 + encoder.encodeInto(json, buf.subarray(start + 1)).written;
      }
      batch.push(end);
    }
    sha256Each(batch.bytes, batch.offsets, count, out, 32 * i0);
  }
  return out;
}

/**
 * All leaf hashes of the roster's columns, in roster order. Entries are written as bytes from the columns
 * (columnJson.ts), 4096 to a batch that is hashed in one call (sha256Each: WebAssembly under Node).
 */
export function leafHashesOf(c: RosterColumns): Uint8Array {
  const out = new Uint8Array(32 * c.length);
  const batch = new MessageBatch(LEAF_BATCH);
  const writer = new EntryWriter(c);
  for (let i0 = 0; i0 < c.length; i0 += LEAF_BATCH) {
    const count = Math.min(LEAF_BATCH, c.length - i0);
    batch.clear();
    for (let i = i0; i < i0 + count; i++) {
      const start = batch.end;
      const buf = batch.room(1 + writer.room(i));
      buf[start] = 0;
      batch.push(writer.put(buf, start + 1, i));
    }
    sha256Each(batch.bytes, batch.offsets, count, out, 32 * i0);
  }
  return out;
}

/** The roster's cjson entries in one buffer, and their leaf hashes (leafHashesWithJson). */
export interface LeavesAndJson {
  leaves: Uint8Array;
  /** the bundle's roster array, `[` entries joined by `,` `]` */
  rosterJson: Uint8Array;
}

/**
 * leafHashesOf, the entries written once into one buffer, each after a separator byte: 0x00 while the
 * leaves are hashed (a leaf is SHA-256(0x00 || entry)), then `[` and `,` over the separators (and `]`
 * after the last entry), so that the same bytes are the bundle's roster array (drawBundleJson): ~100 MB
 * held for 1M entries, instead of writing every entry a second time.
 */
export function leafHashesWithJson(c: RosterColumns): LeavesAndJson {
  const n = c.length;
  const writer = new EntryWriter(c);
  const at = new Uint32Array(n + 1); // the separators
  let size = 0;
  for (let i = 0; i < n; i++) size += 1 + writer.size(i);
  const json = new Uint8Array(size + 8); // putWords may write 3 bytes past an entry's end
  let o = 0;
  for (let i = 0; i < n; i++) {
    at[i] = o;
    json[o] = 0;
    o = writer.put(json, o + 1, i);
  }
  at[n] = o;
  if (o !== size) throw new Error(`internal: roster entries took ${o} bytes, not ${size}`);
  const leaves = new Uint8Array(32 * n);
  for (let i0 = 0; i0 < n; i0 += LEAF_BATCH) {
    sha256Each(json, at.subarray(i0), Math.min(LEAF_BATCH, n - i0), leaves, 32 * i0);
  }
  if (n === 0) return { leaves, rosterJson: Uint8Array.of(0x5b, 0x5d) }; // []
  for (let i = 0; i < n; i++) json[at[i]!] = 0x2c; // ,
  json[0] = 0x5b; // [
  json[o] = 0x5d; // ]
  return { leaves, rosterJson: json.subarray(0, o + 1) };
}

const pair = new Uint8Array(64);

/** Writes SHA-256(0x01 || a || b) (32 bytes each) to out, which may be a or b. */
function hashChildren(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  pair.set(a, 0);
  pair.set(b, 32);
  nodePairs(pair, 1, out);
}

/** The next level up: neighbours hashed in pairs, an odd last node promoted as is. */
function parentLevel(level: Uint8Array, size: number, out: Uint8Array): number {
  const half = size >>> 1;
  nodePairs(level, half, out);
  if (size % 2 === 1) out.set(level.subarray(32 * (size - 1), 32 * size), 32 * half);
  return half + (size % 2);
}

/**
 * Merkle tree hash of n leaf hashes (concatenated, 32 bytes each). With inPlace the levels are built in
 * `leaves` itself (which is then garbage): no 32 MB copy for 1M leaves, and no ArrayBuffer of that size
 * to bring the next full garbage collection forward.
 */
export function merkleRoot(leaves: Uint8Array, options: { inPlace?: boolean } = {}): Uint8Array {
  let size = leaves.length / 32;
  if (size === 0) return EMPTY_ROOT.slice();
  // a copy even when given a Buffer (whose slice() is a view)
  const work = options.inPlace ? leaves : new Uint8Array(leaves);
  while (size > 1) size = parentLevel(work, size, work); // in place: node j is written after 2j, 2j+1 are read
  return work.slice(0, 32);
}

export function rosterRoot(entries: readonly RosterEntry[]): Uint8Array {
  return merkleRoot(leafHashes(entries));
}

/** Every level of the tree, leaves first, so that many audit paths can be cut from one build. */
export class MerkleTree {
  readonly levels: Uint8Array[];
  readonly size: number;

  constructor(leaves: Uint8Array) {
    this.size = leaves.length / 32;
    this.levels = [new Uint8Array(leaves)];
    let level = this.levels[0]!;
    let size = this.size;
    while (size > 1) {
      const next = new Uint8Array(32 * Math.ceil(size / 2));
      size = parentLevel(level, size, next);
      this.levels.push(next);
      level = next;
    }
  }

  get root(): Uint8Array {
    return this.size === 0 ? EMPTY_ROOT.slice() : this.levels[this.levels.length - 1]!.slice(0, 32);
  }

  /** RFC 6962 PATH(index, D[n]): sibling hashes from the leaf's neighbour up to the root's child. */
  proof(index: number): Uint8Array[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`leaf index ${index} outside a tree of ${this.size}`);
    }
    const path: Uint8Array[] = [];
    let i = index;
    let size = this.size;
    for (const level of this.levels) {
      if (size <= 1) break;
      const sibling = i ^ 1;
      if (sibling < size) path.push(level.slice(32 * sibling, 32 * sibling + 32)); // else: promoted, no sibling
      i >>>= 1;
      size = Math.ceil(size / 2);
    }
    return path;
  }
}

/** RFC 9162 section 2.1.3.2: does `proof` show leaf `index` of a tree of `treeSize` hashes to `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  if (leaf.length !== 32 || root.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  let fn = index;
  let sn = treeSize - 1;
  const r = new Uint8Array(leaf); // a copy: r is overwritten below
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hashChildren(p, r, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hashChildren(r, p, r);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
