// The fast engine against the reference draw (src/domain/draw/reference.ts, the spec written out plainly):
// byte-identical bundles on random small rosters with weights, groups and quotas, sites and slots, both
// partial modes, ids that sort differently by UTF-16 and by UTF-8, and entries given in any order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import fc from 'fast-check';
import {
  bundleJson,
  drawBundleJson,
  drawColumns,
  type RosterEntry,
  type Rules,
  referenceDraw,
  runDraw,
  writeBundleJson,
} from '../../../src/domain/draw/index.js';
import { rootDir } from '../../../src/paths.js';

const fixtures = pathToFileURL(path.join(rootDir, 'test/fixtures/draw/'));
const read = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');

// code units on both sides of U+D800..U+FFFF, where UTF-16 and UTF-8 orders disagree, and an NFD mark
const idChar = fc.constantFrom(
  'A',
  'b',
  '0',
  '9',
  '-',
  'é',
  'e\u0301',
  '\uFF21',
  '\u{1F600}',
  '\uE000',
  '가',
);
const arbInput = fc
  .record({
    unit: fc.constantFrom('KRW' as const, 'item' as const),
    d: fc.constantFrom(1, 2, 1000),
    total: fc.nat(40),
    ppm: fc.integer({ min: 1, max: 8 }),
    partial: fc.constantFrom('skip' as const, 'partial' as const),
    reserved: fc.array(fc.nat(10), { maxLength: 3 }),
    sites: fc.array(fc.array(fc.nat(8), { maxLength: 3 }), { maxLength: 4 }),
    entries: fc.uniqueArray(
      fc.record({
        id: fc.array(idChar, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('')),
        g: fc.nat(3),
        weight: fc.integer({ min: 1, max: 5 }),
        k: fc.integer({ min: 1, max: 6 }),
        prefs: fc.uniqueArray(fc.nat(3), { maxLength: 4 }),
      }),
      { maxLength: 40, selector: (e) => e.id.normalize('NFC') },
    ),
    secret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    beacon: fc.string({ maxLength: 12 }),
  })
  .map((x) => {
    const scale = x.d === 1000 ? 1000 : 1;
    const groups = x.reserved.map((r, i) => ({ name: `g${i}`, reserved: r * scale }));
    const sites = x.sites.map((slots, i) => ({
      id: `s${i}`,
      slots: slots.map((c, j) => ({ id: `t${j}`, capacity: c * scale })),
    }));
    const rules: Rules = {
      unit: x.unit,
      total: x.total * scale,
      per_person_max: x.ppm * scale,
      denomination: x.d,
      partial: x.partial,
      groups,
      sites,
    };
    const roster: RosterEntry[] = x.entries.map((e) => ({
      public_id: e.id,
      group: e.g < groups.length ? groups[e.g]!.name : '',
      weight: e.weight,
      request: e.k * x.d,
      preferences: sites.length === 0 ? [] : e.prefs.filter((p) => p < sites.length).map((p) => `s${p}`),
    }));
    return { campaign: { id: 'c', title: 'property' }, rules, roster, secret: x.secret, beacon: x.beacon };
  });

test('the engine and the reference draw give byte-identical bundles', (t) => {
  fc.assert(
    fc.property(arbInput, (input) => {
      const fast = runDraw(input);
      const reference = referenceDraw(input);
      t.is(fast.results_hash, reference.results_hash);
      return bundleJson(fast) === bundleJson(reference);
    }),
    { numRuns: 300 },
  );
});

test('the reference gives one bundle whatever order the roster arrives in', (t) => {
  fc.assert(
    fc.property(arbInput, fc.infiniteStream(fc.nat()), (input, rand) => {
      const shuffled = input.roster
        .map((e) => [rand.next().value as number, e] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, e]) => e);
      return bundleJson(referenceDraw({ ...input, roster: shuffled })) === bundleJson(runDraw(input));
    }),
    { numRuns: 100 },
  );
  t.pass();
});

/** A writer's chunks joined (each copied: the writers reuse their chunk). */
function collect(write: (sink: (chunk: Uint8Array) => void) => void): string {
  const parts: Buffer[] = [];
  write((chunk) => parts.push(Buffer.from(chunk)));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * writeBundleJson's bundle of drawColumns, when drawBundleJson (the CLI's, hashing the results as it
 * writes them) writes the same bytes and returns the same results hash; otherwise both, to fail on.
 */
function streamed(input: Parameters<typeof drawColumns>[0]): string {
  const drawn = drawColumns(input);
  const columns = collect((sink) => writeBundleJson(drawn, sink));
  let hash = '';
  const cli = collect((sink) => {
    hash = drawBundleJson(input, () => {}, sink).bundleFields.results_hash;
  });
  const same = cli === columns && hash === drawn.bundleFields.results_hash;
  return same ? columns : `differ: ${hash} ${cli} / ${drawn.bundleFields.results_hash} ${columns}`;
}

test('the streamed bundle (writeBundleJson; drawBundleJson, the CLI) is bundleJson byte for byte', (t) => {
  fc.assert(
    fc.property(arbInput, (input) => streamed(input) === bundleJson(referenceDraw(input))),
    { numRuns: 200 },
  );
  // ids with escapes and controls take the string path; the chunk boundary falls mid-roster at 2,000 entries
  const roster = Array.from({ length: 2000 }, (_, i) => ({
    public_id: i % 3 === 0 ? `q"\\\u0001${i}` : `id-${String(i).padStart(40, 'x')}`,
    group: '',
    weight: 1,
    request: 1,
    preferences: [],
  }));
  const input = {
    campaign: { id: 'c', title: 't' },
    rules: {
      unit: 'item',
      total: 500,
      per_person_max: 1,
      denomination: 1,
      partial: 'skip',
      groups: [],
      sites: [],
    },
    roster,
    secret: new Uint8Array(32),
    beacon: 'b',
  };
  t.is(streamed(input), bundleJson(runDraw(input)));
});

test('the reference draw reproduces the golden vector byte for byte', (t) => {
  const bundle = referenceDraw({
    campaign: { id: 'fixture-1', title: 'Masks, week 1' },
    rules: JSON.parse(read('rules.json')),
    roster: JSON.parse(read('roster.json')),
    secret: Uint8Array.from({ length: 32 }, (_, i) => i),
    beacon: 'drand round 4200: 2f9c',
  });
  t.is(`${bundleJson(bundle)}\n`, read('bundle.cjson'));
});
