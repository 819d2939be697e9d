// The CLIs as a user runs them (npm run draw / verify: node scripts/bundled.mjs scripts/<name>.ts, the
// script bundled by esbuild and cached), in a temporary directory.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  type Bundle,
  bundleJson,
  describeDifference,
  leafHashes,
  MerkleTree,
  makeReceipt,
  runDraw,
  verifyBundle,
} from '../../src/domain/draw/index.js';
import { rootDir } from '../../src/paths.js';
import { tempDirs } from '../helpers/tempDirs.js';

const root = rootDir;
const fixtures = join(root, 'test/fixtures/draw');
const SECRET = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const BEACON = 'drand round 4200: 2f9c';

function run(script: string, args: string[]) {
  const launcher = join(root, 'scripts', 'bundled.mjs');
  const r = spawnSync(process.execPath, [launcher, join(root, 'scripts', script), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = tempDirs('draw-cli-');

test('draw reproduces the golden bundle byte for byte, and verify says match', (t) => {
  const out = join(tmp(), 'bundle.json');
  const r = run('draw.ts', [
    '--rules',
    join(fixtures, 'rules.json'),
    '--roster',
    join(fixtures, 'roster.json'),
    '--secret',
    SECRET,
    '--beacon',
    BEACON,
    '--campaign-id',
    'fixture-1',
    '--title',
    'Masks, week 1',
    '--out',
    out,
  ]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^entries +8$/m);
  t.regex(r.stdout, /^winners +4$/m);
  t.regex(r.stdout, /^waitlisted +4$/m);
  t.true(
    readFileSync(out).equals(readFileSync(join(fixtures, 'bundle.cjson'))),
    'bundle differs from the fixture',
  );
  const v = run('verify.ts', [out]);
  t.is(v.code, 0, v.stdout + v.stderr);
  t.is(v.stdout, 'match\n');
});

test('verify reports the first failing check and each differing entry, exit 1', (t) => {
  const b: Bundle = JSON.parse(readFileSync(join(fixtures, 'bundle.cjson'), 'utf8'));
  b.results[2]!.amount = 1;
  b.results[6]!.site = 'north';
  const file = join(tmp(), 'tampered.json');
  writeFileSync(file, JSON.stringify(b));
  const v = run('verify.ts', [file]);
  t.is(v.code, 1);
  t.deepEqual(v.stdout.trim().split('\n'), [
    'mismatch: results: results differ at 2 entries',
    'rank 3 (A0003): amount published 1, recomputed 2',
    'rank 7 (A0010): site published "north", recomputed "south"',
  ]);
});

test('verify --receipt: match for a real proof, mismatch (exit 1) for a forged entry', (t) => {
  const b: Bundle = JSON.parse(readFileSync(join(fixtures, 'bundle.cjson'), 'utf8'));
  const receipt = makeReceipt(new MerkleTree(leafHashes(b.roster)), b.roster, 5);
  const dir = tmp();
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(receipt));
  writeFileSync(
    join(dir, 'forged.json'),
    JSON.stringify({ ...receipt, entry: { ...receipt.entry, weight: 9 } }),
  );
  const ok = run('verify.ts', ['--receipt', join(dir, 'ok.json')]);
  t.is(ok.code, 0, ok.stdout + ok.stderr);
  t.is(ok.stdout, 'match\n');
  const forged = run('verify.ts', ['--receipt', join(dir, 'forged.json')]);
  t.is(forged.code, 1);
  t.regex(forged.stdout, /^mismatch: inclusion: /);
});

test('usage errors exit 2 with a message', (t) => {
  const missing = run('draw.ts', ['--rules', 'x.json']);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /--roster is required/);
  const badSecret = run('draw.ts', [
    '--rules',
    'a',
    '--roster',
    'b',
    '--secret',
    'abc',
    '--beacon',
    'x',
    '--out',
    'o',
  ]);
  t.is(badSecret.code, 2);
  t.regex(badSecret.stderr, /--secret must be 64 hex digits/);
  const noFile = run('verify.ts', ['/nonexistent/bundle.json']);
  t.is(noFile.code, 2);
  t.regex(noFile.stderr, /cannot read/);
  t.is(run('verify.ts', []).code, 2);
  t.is(run('rfc3797.ts', ['--pool', '5']).code, 2);
});

test('draw refuses invalid input with the path, exit 1', (t) => {
  const dir = tmp();
  const roster = JSON.parse(readFileSync(join(fixtures, 'roster.json'), 'utf8'));
  roster[1].preferences = ['west'];
  writeFileSync(join(dir, 'roster.json'), JSON.stringify(roster));
  const drawTo = (rules: string, rosterFile: string, out: string) =>
    run('draw.ts', [
      '--rules',
      rules,
      '--roster',
      rosterFile,
      '--secret',
      SECRET,
      '--beacon',
      BEACON,
      '--out',
      out,
    ]);
  const r = drawTo(join(fixtures, 'rules.json'), join(dir, 'roster.json'), join(dir, 'b.json'));
  t.is(r.code, 1);
  t.regex(r.stderr, /\$\.roster\[1\]\.preferences\[0\]: names no site of the rules: "west"/);
  // Rules the draw refuses: said of the rules (not of the roster read against them), nothing written.
  const rules = JSON.parse(readFileSync(join(fixtures, 'rules.json'), 'utf8'));
  rules.denomination = 0;
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
  const badRules = drawTo(join(dir, 'rules.json'), join(fixtures, 'roster.json'), join(dir, 'c.json'));
  t.is(badRules.code, 1, badRules.stderr);
  t.regex(badRules.stderr, /^draw: invalid input: \$\.rules\.denomination: /m);
  t.false(existsSync(join(dir, 'c.json')));
});

test('draw reads a roster however it is laid out, and refuses a BOM or a bad entry writing nothing', (t) => {
  const dir = tmp();
  const roster = Array.from({ length: 60 }, (_, i) => ({
    public_id: `P${String((i * 37) % 60).padStart(3, '0')}`,
    group: i % 4 === 0 ? 'senior' : '',
    weight: 1 + (i % 3),
    request: 1 + (i % 2),
    preferences: i % 5 === 0 ? [] : i % 2 ? ['south', 'north'] : ['north'],
  }));
  const draw = (name: string, text: string) => {
    writeFileSync(join(dir, `${name}.json`), text);
    const out = join(dir, `${name}-bundle.json`);
    const r = run('draw.ts', [
      ...['--rules', join(fixtures, 'rules.json'), '--roster', join(dir, `${name}.json`)],
      ...['--secret', SECRET, '--beacon', BEACON, '--out', out],
    ]);
    return { ...r, bundle: existsSync(out) ? readFileSync(out, 'utf8') : undefined };
  };
  const compact = draw('compact', JSON.stringify(roster));
  t.is(compact.code, 0, compact.stderr);
  // tabs, CRLF and indentation (read directly), and an escaped character (JSON.parse): the same bundle
  const spaced = draw('spaced', `\t${JSON.stringify(roster, null, '\t').replaceAll('\n', '\r\n')}\r\n`);
  t.is(spaced.bundle, compact.bundle);
  const escaped = draw('escaped', JSON.stringify(roster).replace('"P000"', '"P\\u0030\\u0030\\u0030"'));
  t.is(escaped.bundle, compact.bundle);
  const bom = draw('bom', `\uFEFF${JSON.stringify(roster)}`);
  t.is(bom.code, 2);
  t.regex(bom.stderr, /the roster file .*bom\.json is not valid JSON/);
  t.is(bom.bundle, undefined);
  const bad = structuredClone(roster);
  bad[3]!.preferences = ['north', 'west'];
  const refused = draw('bad', JSON.stringify(bad));
  t.is(refused.code, 1);
  t.regex(refused.stderr, /\$\.roster\[3\]\.preferences\[1\]: names no site of the rules: "west"/);
  t.is(refused.bundle, undefined);
});

test('rfc3797 prints the RFC 3797 section 6 selection', (t) => {
  const r = run('rfc3797.ts', [
    '--pool',
    '25',
    '--pick',
    '10',
    '--source',
    '9319',
    '--source',
    '2 5 12 8 10',
    '--source',
    '9 18 26 34 41 45',
  ]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '17\n7\n2\n16\n25\n23\n8\n24\n19\n13\n');
  t.regex(r.stderr, /key: 9319\.\/2\.5\.8\.10\.12\.\/9\.18\.26\.34\.41\.45\.\//);
});

/** A bundle whose roster is plain, as it is, tampered with, and laid out otherwise. */
function plainRosterVariants(): [string, string][] {
  const rules = JSON.parse(readFileSync(join(fixtures, 'rules.json'), 'utf8'));
  const roster = Array.from({ length: 12 }, (_, i) => ({
    public_id: `P${String(i).padStart(3, '0')}`,
    group: i % 4 === 0 ? 'senior' : '',
    weight: 1 + (i % 3),
    request: 1 + (i % 2),
    preferences: i % 2 ? ['south', 'north'] : ['north'],
  }));
  const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
  const b = runDraw({ campaign: { id: 'c', title: 't' }, rules, roster, secret, beacon: BEACON });
  const text = bundleJson(b);
  const swapped = structuredClone(b);
  [swapped.roster[2], swapped.roster[3]] = [swapped.roster[3]!, swapped.roster[2]!];
  const reweighted = structuredClone(b);
  reweighted.roster[5]!.weight = 7;
  return [
    ['plain roster, canonical', text],
    ['plain roster, pretty-printed', JSON.stringify(b, null, 2)],
    ['plain roster, two entries swapped', bundleJson(swapped)],
    ['plain roster, a weight changed', bundleJson(reweighted)],
    ['plain roster, an unknown site', text.replace('"preferences":["north"]', '"preferences":["west"]')],
    ['plain roster, an earlier duplicate "roster"', text.replace('{', '{"roster":[],')],
  ];
}

test('verify answers for any layout of the bundle as the plain parse-everything path does', (t) => {
  const text = readFileSync(join(fixtures, 'bundle.cjson'), 'utf8');
  const b: Bundle = JSON.parse(text);
  const tampered = structuredClone(b);
  tampered.results[3]!.waitlist = 9;
  const variants: [string, string][] = [
    ['canonical (results compared as bytes)', text],
    ['pretty-printed', JSON.stringify(b, null, 2)],
    ['space inside the results', text.replace('"results":[{', '"results":[ {')],
    ['a changed result', JSON.stringify(tampered)],
    ['an earlier duplicate "results" (the last counts)', text.replace('{', '{"results":5,')],
    ['a later duplicate "results" (the last counts)', text.replace(/}\s*$/, ',"results":[]}')],
    ['an escaped key', text.replace('"results":', '"res\\u0075lts":')],
    ['results not an array', text.replace(/"results":\[.*?\],"results_hash"/, '"results":{},"results_hash"')],
    ['invalid JSON inside the results', text.replace('"rank":3,', '"rank":03,')],
    // where the verifier looks first for the end of the results and of the roster, but they go on
    ['a result ending like the results', text.replace('"rank":3,', '"rank":3,"x":[],"results_hash":1,')],
    ['an entry ending like the roster', text.replace('"request":', '"x":[],"roster_root":1,"request":')],
    // a plain roster (printable ASCII), which the verifier reads without JSON.parse (readRosterJson)
    ...plainRosterVariants(),
  ];
  const dir = tmp();
  for (const [name, variant] of variants) {
    const file = join(dir, 'bundle.json');
    writeFileSync(file, variant);
    const v = run('verify.ts', [file]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(variant);
    } catch {
      t.is(v.code, 2, name);
      t.regex(v.stderr, /is not valid JSON/, name);
      continue;
    }
    const verdict = verifyBundle(parsed);
    const expected = verdict.ok
      ? 'match\n'
      : `${[`mismatch: ${verdict.check}: ${verdict.message}`, ...verdict.differences.map(describeDifference)].join('\n')}\n`;
    t.is(v.stdout, expected, name);
    t.is(v.code, verdict.ok ? 0 : 1, name);
  }
});
