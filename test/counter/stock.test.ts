// The public stock against a direct count of the awards: before the draw (remaining = capacity; a voucher
// campaign's budget as one row) and after a scripted burst of collections, refusals, expiries and promotions,
// for every site and slot.
import test from 'ava';
import { HELD_AMOUNT, HELD_SITE, HELD_SLOT } from '../../src/db/repos/counterAwards.js';
import { at } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { scheduledLottery } from '../helpers/draw.js';
import { counterScenario } from './_setup.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

interface Row {
  slot_id: string;
  capacity: number;
  awarded: number;
  collected: number;
  remaining: number;
}

const stockRows = async (campaignId: string) => {
  const res = await app.request('GET', `/api/campaigns/${campaignId}/stock`);
  if (res.status !== 200) throw new Error(res.text);
  const out = new Map<string, Row>();
  for (const s of res.json.sites) for (const r of s.slots) out.set(`${s.site_id}/${r.slot_id}`, r);
  return { json: res.json, rows: out };
};

/** Within a second a reader sees what the database holds. */
async function eventuallyEqual(t: import('ava').ExecutionContext, campaignId: string) {
  const { rows: direct } = await app.db.raw(
    `SELECT ${HELD_SITE} AS site, ${HELD_SLOT} AS slot,
            coalesce(sum(${HELD_AMOUNT}) FILTER (WHERE a.status IN ('won','promoted','collected')), 0)::int AS awarded,
            coalesce(sum(${HELD_AMOUNT}) FILTER (WHERE a.status = 'collected'), 0)::int AS collected
       FROM awards a WHERE a.campaign_id = ? AND (a.outcome = 'won' OR a.promoted_from_rank IS NOT NULL)
      GROUP BY 1, 2`,
    [campaignId],
  );
  const started = Date.now();
  for (;;) {
    const { rows } = await stockRows(campaignId);
    const mismatches = direct.filter(
      (d: { site: string; slot: string; awarded: number; collected: number }) => {
        const r = rows.get(`${d.site}/${d.slot}`);
        return (
          !r ||
          r.awarded !== d.awarded ||
          r.collected !== d.collected ||
          r.remaining !== r.capacity - d.collected
        );
      },
    );
    if (mismatches.length === 0) return Date.now() - started;
    if (Date.now() - started > 1000) {
      t.fail(`stock differs from a direct count: ${JSON.stringify(mismatches)}`);
      return Date.now() - started;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test.serial('before the draw remaining equals capacity', async (t) => {
  app.clock.set(new Date());
  const s = await scheduledLottery(app.db, app.clock, { sites: 2, capacity: 5 });
  const { json, rows } = await stockRows(s.campaignId);
  t.false(json.drawn);
  t.is(rows.size, 4);
  for (const r of rows.values()) t.deepEqual([r.capacity, r.awarded, r.collected, r.remaining], [5, 0, 0, 5]);
  t.is(json.totals.remaining, 20);
  t.truthy(Date.parse(json.as_of));
  // A voucher campaign has no sites: its budget is one row, the campaign's total, with no place named.
  const v = await scheduledLottery(app.db, app.clock, { kind: 'voucher' });
  const voucher = await stockRows(v.campaignId);
  t.false(voucher.json.drawn);
  t.is(voucher.json.unit, 'KRW');
  t.deepEqual(
    voucher.json.sites.map((x: Record<string, unknown>) => [x.site_id, x.name_ko, x.name_en, x.district]),
    [['', '', '', '']],
  );
  t.deepEqual(voucher.rows.get('/'), {
    slot_id: '',
    starts_at: null,
    ends_at: null,
    capacity: 20_000_000,
    awarded: 0,
    collected: 0,
    remaining: 20_000_000,
  });
  t.is(voucher.json.totals.remaining, 20_000_000);
});

test.serial(
  'after a burst of collections, a refusal, expiries and promotions the stock equals a direct count',
  async (t) => {
    const sc = await counterScenario(app, { applicants: 60 });
    app.clock.set(at(61.9)); // both slots of each site are open
    const staff = await sc.signIn();
    t.true((await eventuallyEqual(t, sc.s.campaignId)) <= 1000, 'right after the draw');
    const winners = sc.awards.filter((a) => a.outcome === 'won');
    const [refused, ...rest] = winners;
    const r = await app.request('POST', `/api/sites/${refused!.site}/refusals`, {
      as: staff[sc.s.siteIds.indexOf(refused!.site)],
      json: { code: await sc.codeOf(refused!.public_id), reason: 'no_group_proof' },
    });
    t.is(r.status, 201, r.text);
    // Half the winners collect at once, each pressed twice.
    const burst = rest.filter((_, i) => i % 2 === 0);
    const results = await Promise.all(
      burst.flatMap((w) => {
        const as = staff[sc.s.siteIds.indexOf(w.site)];
        return [0, 1].map(async () =>
          app.request('POST', `/api/sites/${w.site}/collections`, {
            as,
            json: { code: await sc.codeOf(w.public_id) },
          }),
        );
      }),
    );
    t.is(results.filter((x) => x.status === 201).length, burst.length, 'one success per award');
    t.is(results.filter((x) => x.status === 409).length, burst.length);
    const waited = await eventuallyEqual(t, sc.s.campaignId);
    t.true(waited <= 1000, `seen within a second (${waited} ms)`);
    // The rest expire at their deadline and pass down the waitlist.
    app.clock.set(at(78));
    await sc.reconciler.runOnce();
    t.true((await app.db('awards').where({ campaign_id: sc.s.campaignId, status: 'expired' })).length > 0);
    await eventuallyEqual(t, sc.s.campaignId);
  },
);

test('the stock read ahead of the app carries the same headers; what it cannot answer goes to the route', async (t) => {
  const { s } = await counterScenario(app);
  const res = await app.request('GET', `/api/campaigns/${s.campaignId}/stock?x=1`);
  t.is(res.status, 200, res.text);
  t.is(res.headers.get('x-content-type-options'), 'nosniff');
  t.is(res.headers.get('x-frame-options'), 'DENY');
  t.is(res.headers.get('cache-control'), 'public, max-age=1');
  t.regex(res.headers.get('content-type') ?? '', /^application\/json/);
  t.is(res.json.campaign_id, s.campaignId);
  t.is(res.headers.get('x-request-id'), null, 'answered ahead of the app');
  const unknown = await app.request('GET', '/api/campaigns/00000000-0000-4000-8000-000000000000/stock');
  t.is(unknown.status, 404);
  t.is(unknown.json.error.code, 'not_found');
  t.truthy(unknown.headers.get('x-request-id'), 'answered by the app, with its request id');
});
