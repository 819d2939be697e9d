import { createHash } from 'node:crypto';
import test from 'ava';
import { canonicalJson } from '../../../src/domain/canonical.js';
import {
  leafHash,
  leafHashes,
  MerkleTree,
  merkleRoot,
  verifyInclusion,
} from '../../../src/domain/draw/engine/merkle.js';
import { makeReceipt } from '../../../src/domain/draw/engine/receipt.js';
import type { RosterEntry } from '../../../src/domain/draw/types.js';

// The literal RFC 6962 definitions, with node:crypto, as an independent reference.
const H = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return H();
  if (d.length === 1) return d[0]!;
  const k = largestPow2Below(d.length);
  return H(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const k = largestPow2Below(d.length);
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

const entry = (i: number): RosterEntry => ({
  public_id: `P${String(i).padStart(3, '0')}`,
  group: i % 3 === 0 ? 'senior' : '',
  weight: 1 + (i % 2),
  request: 1000 * (1 + (i % 4)),
  preferences: i % 5 === 0 ? [] : ['s1', `s${i % 7}`].filter((v, j, a) => a.indexOf(v) === j),
});
const leafRef = (e: RosterEntry) =>
  H(Buffer.from([0]), Buffer.from(canonicalJson(e, { strict: true }), 'utf8'));

test('leaf hash is SHA-256(0x00 || utf8(cjson(entry)))', (t) => {
  for (let i = 0; i < 20; i++) t.deepEqual(Buffer.from(leafHash(entry(i))), leafRef(entry(i)));
  const entries = Array.from({ length: 20 }, (_, i) => entry(i));
  t.deepEqual(Buffer.from(leafHashes(entries)), Buffer.concat(entries.map(leafRef)));
});

test('the empty roster root is SHA-256("")', (t) => {
  t.is(
    Buffer.from(merkleRoot(new Uint8Array(0))).toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  t.is(Buffer.from(new MerkleTree(new Uint8Array(0)).root).toString('hex'), H().toString('hex'));
});

test('iterative root and audit paths equal the literal RFC 6962 recursion for n = 1..70', (t) => {
  for (let n = 1; n <= 70; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leafRef(entry(i)));
    const flat = Buffer.concat(leaves);
    const expected = mth(leaves);
    t.deepEqual(Buffer.from(merkleRoot(flat)), expected, `root n=${n}`);
    t.deepEqual(
      Buffer.from(merkleRoot(new Uint8Array(flat), { inPlace: true })),
      expected,
      `in place n=${n}`,
    );
    const tree = new MerkleTree(new Uint8Array(flat));
    t.deepEqual(Buffer.from(tree.root), expected, `tree root n=${n}`);
    for (let m = 0; m < n; m++) {
      const proof = tree.proof(m);
      t.deepEqual(
        proof.map((p) => Buffer.from(p)),
        path(m, leaves),
        `path m=${m} n=${n}`,
      );
      t.true(verifyInclusion(leaves[m]!, m, n, proof, expected), `verify m=${m} n=${n}`);
    }
  }
});

test('tampered proofs are rejected', (t) => {
  const n = 13;
  const leaves = Array.from({ length: n }, (_, i) => leafRef(entry(i)));
  const tree = new MerkleTree(new Uint8Array(Buffer.concat(leaves)));
  const root = tree.root;
  for (let m = 0; m < n; m++) {
    const proof = tree.proof(m);
    t.true(verifyInclusion(leaves[m]!, m, n, proof, root));
    const flipped = proof.map((p) => p.slice());
    flipped[0]![0]! ^= 1;
    t.false(verifyInclusion(leaves[m]!, m, n, flipped, root), `flipped byte m=${m}`);
    t.false(verifyInclusion(leaves[m]!, m, n, proof.slice(0, -1), root), `truncated m=${m}`);
    t.false(verifyInclusion(leaves[m]!, m, n, [...proof, proof[0]!], root), `extended m=${m}`);
    t.false(verifyInclusion(leaves[(m + 1) % n]!, m, n, proof, root), `other leaf m=${m}`);
    t.false(verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root), `other index m=${m}`);
    // (n + 1 may share the path shape for some m and then rightly verifies; 2n never does.)
    t.false(verifyInclusion(leaves[m]!, m, 2 * n, proof, root), `other size m=${m}`);
  }
  t.false(verifyInclusion(leaves[0]!, 13, 13, [], root), 'index out of range');
});

test('a proof or a receipt for a leaf the tree does not have is refused, not made up', (t) => {
  const entries = Array.from({ length: 3 }, (_, i) => entry(i));
  const tree = new MerkleTree(new Uint8Array(Buffer.concat(entries.map(leafRef))));
  for (const index of [-1, 3, 1.5]) {
    t.throws(
      () => tree.proof(index),
      { instanceOf: RangeError, message: /outside a tree of 3/ },
      String(index),
    );
  }
  t.throws(() => makeReceipt(tree, entries, 3), {
    instanceOf: RangeError,
    message: 'no roster entry at index 3',
  });
  const receipt = makeReceipt(tree, entries, 2);
  t.is(receipt.entry, entries[2]!);
  t.is(receipt.tree_size, 3);
});
