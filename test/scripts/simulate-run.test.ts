// `npm run simulate -- --mode lottery` run to its end at a small scale, as README's Benchmarks runs it at 10,000: the
// service started, the city driven over HTTP, the beacon recorded and the draw run, winners paid, the report written
// and every invariant held. A broken step anywhere (the beacon once was) fails here. The instant mode's run is not
// here (a minute of a test worker, most of it the 20 s before its opening); its rush at 1,000 buyers is
// test/instant/sale.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runScript } from '../helpers/runScript.js';
import { tempDirs } from '../helpers/tempDirs.js';

const tmp = tempDirs('simulate-run-');

/** The simulator makes its own database (embedded, or a new one on DATABASE_URL's server) and drops nothing shared. */
async function simulate(args: string[]) {
  const out = tmp();
  const run = await runScript('simulate.ts', [...args, '--out', out]);
  const report = run.code === 0 ? JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) : undefined;
  return { ...run, report };
}

const invariants =
  /ok {3}sold \+ remaining = initial[\s\S]*ok {3}orders = sold[\s\S]*ok {3}nobody over[\s\S]*ok {3}every paid order issued or refunded[\s\S]*ok {3}no 5xx/;

test('lottery: residents apply, the draw runs on its recorded beacon, winners pay; the report holds', async (t) => {
  const r = await simulate([
    '--mode',
    'lottery',
    '--residents',
    '120',
    '--stock',
    '40',
    '--window-seconds',
    '4',
  ]);
  t.is(r.code, 0, r.stderr.slice(-2000));
  t.regex(r.stdout, invariants);
  t.like(r.report, {
    mode: 'lottery',
    residents: 120,
    stock: 40,
    sold: 40,
    remaining: 0,
    paid: 40,
    issued: 40,
  });
  t.is(r.report.http_5xx, 0);
  t.is(typeof r.report.speed_independence_p, 'number');
});
