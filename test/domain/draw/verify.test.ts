import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  type Bundle,
  describeDifference,
  leafHashes,
  MerkleTree,
  makeReceipt,
  runDraw,
  verifiesWithRawResults,
  verifyBundle,
  verifyReceipt,
} from '../../../src/domain/draw/index.js';
import { rootDir } from '../../../src/paths.js';

const fixture = path.join(rootDir, 'test/fixtures/draw/bundle.cjson');
const load = (): Bundle => JSON.parse(readFileSync(fixture, 'utf8'));

test('the golden bundle verifies', (t) => {
  t.deepEqual(verifyBundle(load()), { ok: true });
});

test('a changed amount is caught at that entry', (t) => {
  const b = load();
  const r = b.results[2]!;
  t.is(r.public_id, 'A0003');
  t.is(r.amount, 2);
  r.amount = 1;
  const v = verifyBundle(b);
  if (v.ok) return t.fail('tampered bundle passed');
  t.is(v.check, 'results');
  t.is(v.message, 'results differ at 1 entry');
  t.deepEqual(v.differences, [{ rank: 3, public_id: 'A0003', field: 'amount', expected: 2, actual: 1 }]);
  t.is(describeDifference(v.differences[0]!), 'rank 3 (A0003): amount published 1, recomputed 2');
});

test('two swapped ranks are reported as two entries, every field', (t) => {
  const b = load();
  [b.results[0], b.results[1]] = [b.results[1]!, b.results[0]!];
  const v = verifyBundle(b);
  if (v.ok) return t.fail('tampered bundle passed');
  t.is(v.check, 'results');
  t.is(v.message, 'results differ at 2 entries');
  const fields = (rank: number) => v.differences.filter((d) => d.rank === rank).map((d) => d.field);
  // rank 1 is A0002 (waitlisted) and rank 2 is A0001 (won at south/am) in the fixture.
  t.deepEqual(fields(1), ['rank', 'public_id', 'ticket', 'outcome', 'amount', 'site', 'slot', 'waitlist']);
  t.deepEqual(fields(2), ['rank', 'public_id', 'ticket', 'outcome', 'amount', 'site', 'slot', 'waitlist']);
  t.true(
    v.differences.some(
      (d) => d.rank === 1 && d.field === 'public_id' && d.expected === 'A0002' && d.actual === 'A0001',
    ),
  );
});

test('a changed beacon fails the seed check', (t) => {
  const b = load();
  b.beacon = 'drand round 4201: 2f9c';
  const v = verifyBundle(b);
  t.like(v, { ok: false, check: 'seed' });
  if (!v.ok) t.regex(v.message, /^seed published [0-9a-f]{64}, recomputed [0-9a-f]{64}/);
});

test('a removed roster entry fails the roster root check', (t) => {
  const b = load();
  b.roster.splice(3, 1);
  t.like(verifyBundle(b), { ok: false, check: 'roster_root' });
});

test('a removed result entry is reported as missing', (t) => {
  const b = load();
  const last = b.results.pop()!;
  const v = verifyBundle(b);
  if (v.ok) return t.fail('tampered bundle passed');
  t.is(v.check, 'results');
  t.deepEqual(v.differences.map(describeDifference), [
    `rank 8 (${last.public_id}): missing from the published results`,
  ]);
});

test('an added result, one that is not an object and a field the format does not have are each reported by rank', (t) => {
  const b = load();
  const results = b.results as unknown[];
  results.push({ ...b.results[7]!, public_id: 'A9999' });
  results[1] = null;
  (results[2] as Record<string, unknown>).note = 'paid in cash';
  const v = verifyBundle(b);
  if (v.ok) return t.fail('tampered bundle passed');
  t.is(v.check, 'results');
  t.is(v.message, 'results differ at 3 entries');
  const lines = v.differences.map(describeDifference);
  t.regex(lines[0]!, /^rank 2 \(A\d{4}\): published but not in the recomputed results$/);
  t.is(lines[1], 'rank 3 (A0003): note published "paid in cash", recomputed (absent)');
  t.is(lines[2], 'rank 9 (A9999): published but not in the recomputed results');
});

test('an unsorted or duplicated roster fails the roster order check', (t) => {
  const swapped = load();
  [swapped.roster[0], swapped.roster[1]] = [swapped.roster[1]!, swapped.roster[0]!];
  t.like(verifyBundle(swapped), { ok: false, check: 'roster_order' });
  const dup = load();
  dup.roster.splice(1, 0, dup.roster[0]!);
  t.like(verifyBundle(dup), { ok: false, check: 'roster_order' });
});

test('a different secret fails the commitment check first', (t) => {
  const b = load();
  b.secret = `ff${b.secret.slice(2)}`;
  b.beacon = 'also changed';
  t.like(verifyBundle(b), { ok: false, check: 'commitment' });
});

test('a changed results hash fails last', (t) => {
  const b = load();
  b.results_hash = '0'.repeat(64);
  t.like(verifyBundle(b), { ok: false, check: 'results_hash' });
});

test('malformed bundles fail the format check with a path', (t) => {
  const b = load() as unknown as Record<string, unknown>;
  delete b.seed;
  t.like(verifyBundle(b), { ok: false, check: 'format', message: 'the bundle lacks seed' });
  const c = load();
  (c.roster[2] as unknown as Record<string, unknown>).request = 1.5;
  t.like(verifyBundle(c), { ok: false, check: 'format', message: '$.roster[2].request: must be an integer' });
  t.like(verifyBundle([]), { ok: false, check: 'format' });
});

test('receipts: every entry proves inclusion; a tampered one does not', (t) => {
  const b = load();
  const tree = new MerkleTree(leafHashes(b.roster));
  for (let i = 0; i < b.roster.length; i++) {
    const receipt = makeReceipt(tree, b.roster, i);
    t.is(receipt.roster_root, b.roster_root);
    t.deepEqual(verifyReceipt(receipt), { ok: true });
    t.like(verifyReceipt({ ...receipt, entry: { ...receipt.entry, request: receipt.entry.request + 1 } }), {
      ok: false,
      check: 'inclusion',
    });
    t.like(verifyReceipt({ ...receipt, index: (i + 1) % b.roster.length }), {
      ok: false,
      check: 'inclusion',
    });
  }
  const r = makeReceipt(tree, b.roster, 0);
  t.like(verifyReceipt({ ...r, proof: ['zz'] }), { ok: false, check: 'format' });
});

test('ids that are long, non-ASCII or escaped in JSON verify, and a change to one is caught', (t) => {
  const ids = [
    'a"quote',
    'back\\slash',
    'é-accent',
    '가나다',
    'x'.repeat(15),
    'y'.repeat(40),
    'plain',
    'z\u0001',
  ];
  const bundle = runDraw({
    campaign: { id: 'c', title: 'odd ids' },
    rules: {
      unit: 'item',
      total: 4,
      per_person_max: 1,
      denomination: 1,
      partial: 'skip',
      groups: [],
      sites: [{ id: 'é"s', slots: [{ id: 'a\\m', capacity: 3 }] }],
    },
    roster: ids.map((public_id) => ({ public_id, group: '', weight: 2, request: 1, preferences: ['é"s'] })),
    secret: new Uint8Array(32).fill(5),
    beacon: 'b',
  });
  t.deepEqual(verifyBundle(bundle), { ok: true });
  t.deepEqual(verifyBundle(JSON.parse(JSON.stringify(bundle))), { ok: true });
  for (const [k, r] of bundle.results.entries()) {
    const tampered: Bundle = JSON.parse(JSON.stringify(bundle));
    tampered.results[k]!.public_id = `${r.public_id}!`;
    const v = verifyBundle(tampered);
    t.like(v, { ok: false, check: 'results' }, r.public_id);
    if (!v.ok)
      t.deepEqual(
        v.differences.map((d) => [d.rank, d.field]),
        [[k + 1, 'public_id']],
      );
  }
});

test('verifiesWithRawResults: true only for the canonical results bytes of a bundle that verifies', (t) => {
  const text = readFileSync(fixture, 'utf8');
  const b = load();
  const raw = (s: string) => new TextEncoder().encode(s);
  const canonical = text.slice(text.indexOf('"results":') + 10, text.indexOf(',"results_hash"'));
  t.true(verifiesWithRawResults(b, raw(canonical), () => {}));
  t.false(
    verifiesWithRawResults(b, raw(canonical.replace('[{', '[ {')), () => {}),
    'same values, other bytes',
  );
  t.false(verifiesWithRawResults(b, raw(canonical.replace('"rank":3,', '"rank":4,')), () => {}));
  t.false(verifiesWithRawResults(b, raw(`${canonical} `), () => {}));
  t.false(verifiesWithRawResults({ ...b, results_hash: '0'.repeat(64) }, raw(canonical), () => {}));
  t.false(verifiesWithRawResults({ ...b, beacon: 'other' }, raw(canonical), () => {}));
});

// Each malformed field is named by the format check, before any hash is computed.
const malformed: [string, (b: Record<string, unknown>) => void, string][] = [
  [
    'another version',
    (b) => (b.version = 'draw-v2'),
    'version is "draw-v2", this verifier knows only "draw-v1"',
  ],
  [
    'an uppercase root',
    (b) => (b.roster_root = String(b.roster_root).toUpperCase()),
    'roster_root is not 64 lowercase hex digits',
  ],
  ['a short seed', (b) => (b.seed = 'abcd'), 'seed is not 64 lowercase hex digits'],
  ['a secret that is not hex', (b) => (b.secret = 'not hex'), 'secret is not lowercase hex'],
  ['a beacon that is a number', (b) => (b.beacon = 42), 'beacon is not a string'],
  ['results that are an object', (b) => (b.results = {}), 'results is not an array'],
];
for (const [what, change, message] of malformed) {
  test(`format check: ${what}`, (t) => {
    const b = load() as unknown as Record<string, unknown>;
    change(b);
    t.like(verifyBundle(b), { ok: false, check: 'format', message });
    t.false(verifiesWithRawResults(b, new Uint8Array(), () => {}));
  });
}

test('a bundle that is not an object is not verified from raw results either', (t) => {
  t.false(verifiesWithRawResults(null, new Uint8Array(), () => {}));
  t.like(verifyBundle(null), { ok: false, check: 'format', message: 'the bundle is not a JSON object' });
});

test('receipts of the wrong shape fail the format check, naming what is wrong', (t) => {
  const b = load();
  const r = makeReceipt(new MerkleTree(leafHashes(b.roster)), b.roster, 0);
  t.like(verifyReceipt(null), { ok: false, check: 'format', message: 'the receipt is not a JSON object' });
  t.like(verifyReceipt({ ...r, entry: { ...r.entry, request: -1 } }), { ok: false, check: 'format' });
  t.like(verifyReceipt({ ...r, index: 1.5 }), { message: 'index and tree_size must be integers' });
  t.like(verifyReceipt({ ...r, tree_size: '3' }), { message: 'index and tree_size must be integers' });
  t.like(verifyReceipt({ ...r, proof: 'x' }), { message: 'proof must be a list of 64-hex-digit hashes' });
  t.like(verifyReceipt({ ...r, roster_root: 'ab' }), {
    message: 'roster_root is not 64 lowercase hex digits',
  });
});
