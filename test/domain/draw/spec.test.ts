// docs/draw-v1.md is what an auditor re-implements: its golden-vector appendix must state the fixture's values.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { rootDir } from '../../../src/paths.js';

const root = pathToFileURL(`${rootDir}/`);
const spec = readFileSync(new URL('docs/draw-v1.md', root), 'utf8');
const bundle = JSON.parse(readFileSync(new URL('test/fixtures/draw/bundle.cjson', root), 'utf8'));

test('the spec names the golden bundle hashes and every result line', (t) => {
  for (const key of ['seed_commitment', 'roster_root', 'seed', 'results_hash']) {
    t.regex(spec, new RegExp(`^${key} +${bundle[key]}$`, 'm'), key);
  }
  for (const r of bundle.results) {
    const line = spec.split('\n').find((l) => l.startsWith(`${r.rank}  ${r.public_id} `));
    t.truthy(line, `result ${r.rank}`);
    t.deepEqual(line!.trim().split(/ +/).slice(2), [
      r.ticket,
      r.outcome,
      String(r.amount),
      r.site || '-',
      r.slot || '-',
      String(r.waitlist),
    ]);
  }
});

test('the normative part ends before the informative appendix', (t) => {
  const normative = spec.slice(0, spec.indexOf('## Appendix'));
  for (const heading of [
    '## 1. Rules',
    '## 2. Roster',
    '## 3. Seed',
    '## 4. Order',
    '## 5. Allocation',
    '## 6. Results',
  ]) {
    t.true(normative.includes(heading), heading);
  }
});
