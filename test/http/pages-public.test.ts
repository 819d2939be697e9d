// Resident pages: the campaign list and a campaign page, Korean first, English by ?lang=en, no JavaScript needed.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';
import { putHappyPharmacies } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;
const html = { accept: 'text/html' };

test.before(async () => {
  // 2026-12-01 00:00 KST
  app = await startTestApp();
  admin = await app.staff('admin');
  await putHappyPharmacies(app, admin);
});
test.after.always(async () => {
  await app?.close();
});

async function createCampaign(body: Record<string, unknown>, schedule = true): Promise<string> {
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  if (res.status !== 201) throw new Error(res.text);
  const id = res.json.campaign.id as string;
  if (schedule) {
    const s = await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
    if (s.status !== 200) throw new Error(s.text);
  }
  return id;
}

test.serial(
  '/ leads to the list; the list shows a scheduled campaign with its window in KST and a countdown',
  async (t) => {
    const id = await createCampaign(
      buildVoucherCampaign(app.clock.now(), {
        title_ko: '서울 지역상품권 1차',
        title_en: 'Seoul vouchers, round 1',
        opens_at: '2026-12-01T09:00',
        closes_at: '2026-12-03T18:00',
        draw_at: '2026-12-03T19:00',
        claim_opens_at: '2026-12-04T09:00',
        claim_closes_at: '2026-12-31T18:00',
      }),
    );
    const home = await app.request('GET', '/', { headers: html });
    t.is(home.status, 302);
    t.is(home.headers.get('location'), '/campaigns');

    const res = await app.request('GET', '/campaigns', { headers: html });
    t.is(res.status, 200);
    t.regex(res.headers.get('content-type') ?? '', /text\/html/);
    t.regex(res.text, /<html lang="ko">/);
    t.regex(res.text, /서울 지역상품권 1차/);
    t.regex(res.text, /신청 예정/);
    t.regex(res.text, new RegExp(`href="/campaigns/${id}"`));
    // The window in Seoul time, whatever zone the server runs in.
    t.regex(res.text, /2026-12-01 \(화\) 09:00 한국 표준시 \(GMT\+9\)/);
    t.regex(res.text, /2026-12-03 \(목\) 18:00/);
    // Clock is 00:00 KST, so opening is 9 hours away.
    t.regex(res.text, /신청 시작까지 남은 시간/);
    t.regex(res.text, /9시간 0분 0초/);
    t.regex(res.text, /data-deadline="2026-12-01T00:00:00.000Z"/);
    t.regex(res.text, /<script src="\/static\/countdown.js" defer><\/script>/);
  },
);

test.serial('the same list in English by ?lang=en, which is remembered in a cookie', async (t) => {
  const res = await app.request('GET', '/campaigns?lang=en', { headers: html });
  t.is(res.status, 200);
  t.regex(res.text, /<html lang="en">/);
  t.regex(res.text, /Seoul vouchers, round 1/);
  t.regex(res.text, /Opening soon/);
  t.regex(res.text, /2026-12-01 \(Tue\) 09:00 Korean Standard Time \(GMT\+9\)/);
  t.regex(res.text, /9 hours 0 minutes 0 seconds/);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  t.is(cookie, 'lang=en');
  const again = await app.request('GET', '/campaigns', { headers: { ...html, cookie } });
  t.regex(again.text, /<html lang="en">/);
});

test.serial('an open campaign page has the Apply link and counts down to closing', async (t) => {
  const id = await createCampaign(
    buildVoucherCampaign(app.clock.now(), {
      title_ko: '열린 상품권',
      title_en: 'Open vouchers',
      description_ko: '첫 문단입니다.\n\n둘째 문단입니다.',
      opens_at: '2026-11-30T09:00',
      closes_at: '2026-12-02T01:30',
      draw_at: '2026-12-02T10:00',
      claim_opens_at: '2026-12-03T09:00',
      claim_closes_at: '2026-12-31T18:00',
      eligibility: { regions: ['중구', '종로구'], min_age: 19, birth_year_rotation: false },
      groups: [{ name: '기초생활수급자', reserved: 100_000_000, weight: 2 }],
    }),
    false,
  );
  // Scheduling needs a future close; then let the clock pass the opening as the reconciler would.
  await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
  await app.db('campaigns').where({ id }).update({ state: 'open' });

  const res = await app.request('GET', `/campaigns/${id}`, { headers: html });
  t.is(res.status, 200);
  t.regex(res.text, /<h1>열린 상품권<\/h1>/);
  t.regex(res.text, /신청 중/);
  t.regex(res.text, new RegExp(`href="/campaigns/${id}/apply"[^>]*>신청하기`));
  t.regex(res.text, /신청 마감까지 남은 시간/);
  t.regex(res.text, /1일 1시간 30분/); // 00:00 -> next day 01:30 KST
  t.regex(res.text, /<p class="description">첫 문단입니다.<\/p>/);
  t.regex(res.text, /250,000원/);
  t.regex(res.text, /1,000,000,000원/);
  t.regex(res.text, /대상 지역: 중구, 종로구/);
  t.regex(res.text, /만 19세 이상/);
  t.regex(res.text, /기초생활수급자: 100,000,000원 별도 배정, 추첨 가중치 2/);
  t.regex(res.text, /2026-12-02 \(수\) 10:00/); // the draw

  const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
  t.regex(en.text, /<h1>Open vouchers<\/h1>/);
  t.regex(en.text, />Apply</);
  t.regex(en.text, /Applications close in/);
  t.regex(en.text, /1 day 1 hour 30 minutes/);
  t.regex(en.text, /KRW 250,000/);
});

test.serial(
  'an instant sale’s page counts down to its opening and its close, and names no collection window',
  async (t) => {
    const body = buildVoucherCampaign(app.clock.now(), {
      mode: 'instant',
      title_ko: '선착순 상품권',
      closes_at: '2026-12-02T01:30',
    });
    const id = await createCampaign(body);
    const page = async () => (await app.request('GET', `/campaigns/${id}`, { headers: html })).text;
    t.regex(await page(), /신청 시작까지 남은 시간/);
    await app.db('campaigns').where({ id }).update({ state: 'open' });
    t.regex(await page(), /신청 마감까지 남은 시간/);
    // past its close it has gone on to claiming at once, as the reconciler moves it: nothing more comes
    await app.db('campaigns').where({ id }).update({ state: 'claiming' });
    const claiming = await page();
    t.notRegex(claiming, /남은 시간/, 'no countdown to a collection that does not exist');
    t.notRegex(claiming, /수령 기간|추첨 일시/);
    t.regex(claiming, /<span class="badge state-claiming">판매 마감<\/span>/, 'not "collection open"');
    t.notRegex(claiming, /id="my-result"/, 'no lottery result to see');
    t.regex(claiming, new RegExp(`id="my-purchase" href="/campaigns/${id}/queue">내 구매 확인하기<`));
    await app.db('campaigns').where({ id }).update({ state: 'closed' });
    const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
    t.regex(en.text, /<span class="badge state-closed">Sale closed<\/span>/, 'not "draw pending"');
    t.regex(en.text, /id="my-purchase" href="[^"]+">See my purchase</);
  },
);

test.serial('a goods campaign page lists its pickup sites and slots', async (t) => {
  const id = await createCampaign(buildGoodsCampaign(app.clock.now(), ['PH-A', 'PH-B']));
  const res = await app.request('GET', `/campaigns/${id}`, { headers: html });
  t.is(res.status, 200);
  t.regex(res.text, /수령 장소와 시간/);
  t.regex(res.text, /행복약국 PH-A/);
  t.regex(res.text, /중구 · 세종대로 110/);
  t.regex(res.text, /12-03 \(목\) 12:00<\/time> – 14:00/); // now + 60 h = 12-03 12:00 KST
  t.regex(res.text, /1인당 최대/);
  t.regex(res.text, /2개/);
  const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
  t.regex(en.text, /Happy Pharmacy PH-B/);
  t.regex(en.text, /2 items/);
});

test.serial('drafts, cancelled and unknown campaigns are not public', async (t) => {
  const draft = await createCampaign(
    buildVoucherCampaign(app.clock.now(), { title_ko: '비공개 초안' }),
    false,
  );
  t.is((await app.request('GET', `/campaigns/${draft}`, { headers: html })).status, 404);
  const list = await app.request('GET', '/campaigns', { headers: html });
  t.notRegex(list.text, /비공개 초안/);
  const unknown = await app.request('GET', '/campaigns/not-an-id', { headers: html });
  t.is(unknown.status, 404);
  t.regex(unknown.text, /찾는 페이지가 없습니다/);
});

test('static files are served with a type and an ETag; nothing outside static/ is', async (t) => {
  const css = await app.request('GET', '/static/site.css');
  t.is(css.status, 200);
  t.regex(css.headers.get('content-type') ?? '', /text\/css/);
  const etag = css.headers.get('etag')!;
  t.truthy(etag);
  t.is((await app.request('GET', '/static/site.css', { headers: { 'if-none-match': etag } })).status, 304);
  const js = await app.request('GET', '/static/countdown.js');
  t.regex(js.headers.get('content-type') ?? '', /javascript/);
  for (const bad of [
    '/static/..%2Fpackage.json',
    '/static/%2e%2e%2fpackage.json',
    '/static/nope.css',
    '/static/x.json',
  ]) {
    t.is((await app.request('GET', bad)).status, 404, bad);
  }
});
