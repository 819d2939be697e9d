// The operator sees where a sale limited to regions is taking its places: the admin's waiting-room page and its API
// count the places by the region declared at the join (instant_queue.region), each of the sale's regions, and the
// places with none declared (taken before the sale checked its regions). An auditor reads them as an admin does;
// a sale without regions shows no such table.
import test from 'ava';
import { signInWithForm } from '../helpers/browserSession.js';
import { buyers, instantWorld, scheduledSale } from '../helpers/instant.js';

/** A scheduled sale (pre-queue open) limited to 중구 and 동구, or to no region, its room made. */
async function saleIn(regions: string[]) {
  const w = await instantWorld();
  const c = await scheduledSale(w.app, { units: 10 });
  await w.app
    .db('campaigns')
    .where({ id: c.id })
    .update({ eligibility: JSON.stringify({ regions }) });
  await w.tick(); // the room
  return { ...w, id: c.id as string };
}

test('a sale limited to regions shows its places by declared region, to an admin and an auditor, in both languages', async (t) => {
  const { app, id } = await saleIn(['중구', '동구']);
  t.teardown(() => app.close());
  const people = await buyers(app, 4);
  for (const [i, region] of ['동구', '동구', '동구', '중구'].entries()) {
    const res = await app.request('POST', `/api/campaigns/${id}/queue`, {
      headers: people[i]!.headers,
      json: { region },
    });
    t.is(res.status, 200, res.text);
  }
  // one place taken before the sale asked the region
  await app
    .db('instant_queue')
    .where({ campaign_id: id, identity_id: people[3]!.identity_id })
    .update({ region: null });
  const expected = [
    { region: '중구', places: 0 },
    { region: '동구', places: 3 },
    { region: null, places: 1 },
  ];
  for (const role of ['admin', 'auditor'] as const) {
    const api = await app.request('GET', `/api/admin/campaigns/${id}/instant-room`, {
      as: await app.staff(role),
    });
    t.is(api.status, 200, api.text);
    t.deepEqual(api.json.places_by_region, expected, role);
  }

  const auditor = await signInWithForm(app, 'auditor');
  const ko = await auditor.get(`/admin/campaigns/${id}/waiting-room`);
  t.is(ko.status, 200, ko.text);
  const table = (html: string) => /<table id="region-places"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const rows = (html: string) =>
    [
      ...table(html).matchAll(
        /<tr><td>(?:<em>)?([^<]+)(?:<\/em>)?<\/td><td class="num">([^<]+)<\/td><\/tr>/g,
      ),
    ].map((m) => [m[1], m[2]]);
  t.regex(ko.text, /신고한 지역별 대기 자리/);
  t.deepEqual(rows(ko.text), [
    ['중구', '0'],
    ['동구', '3'],
    ['신고하지 않음', '1'],
  ]);
  const en = await auditor.get(`/admin/campaigns/${id}/waiting-room?lang=en`);
  t.regex(en.text, /Places by declared region/);
  t.deepEqual(rows(en.text), [
    ['중구', '0'],
    ['동구', '3'],
    ['Not declared', '1'],
  ]);
});

test('a sale without regions has no places by region, in the API or on the page', async (t) => {
  const { app, id } = await saleIn([]);
  t.teardown(() => app.close());
  const [p] = await buyers(app, 1);
  t.is((await app.request('POST', `/api/campaigns/${id}/queue`, { headers: p!.headers })).status, 200);
  const api = await app.request('GET', `/api/admin/campaigns/${id}/instant-room`, {
    as: await app.staff('admin'),
  });
  t.is(api.json.places_by_region, null);
  const page = await (await signInWithForm(app, 'admin')).get(`/admin/campaigns/${id}/waiting-room`);
  t.is(page.status, 200);
  t.notRegex(page.text, /id="region-places"/);
});
