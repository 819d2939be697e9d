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
    t.regex(await page(), /판매 시작까지 남은 시간/);
    await app.db('campaigns').where({ id }).update({ state: 'open' });
    t.regex(await page(), /판매 마감까지 남은 시간/);
    // past its close it has gone on to claiming at once, as the reconciler moves it: nothing more comes
    await app.db('campaigns').where({ id }).update({ state: 'claiming' });
    const claiming = await page();
    t.notRegex(claiming, /남은 시간/, 'no countdown to a collection that does not exist');
    t.notRegex(claiming, /수령 기간|추첨 일시/);
    t.regex(claiming, /<span class="badge state-claiming">판매 마감<\/span>/, 'not "collection open"');
    t.notRegex(claiming, /id="my-result"/, 'no lottery result to see');
    t.regex(claiming, new RegExp(`id="my-purchase" href="/campaigns/${id}/queue">내 구매 확인하기<`));
    t.notRegex(claiming, /id="my-place"/, 'the purchase, not a place in a queue that is over');
    await app.db('campaigns').where({ id }).update({ state: 'closed' });
    const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
    t.regex(en.text, /<span class="badge state-closed">Sale closed<\/span>/, 'not "draw pending"');
    t.regex(en.text, /id="my-purchase" href="[^"]+">See my purchase</);
    t.notRegex(en.text, /See my application/, 'a sale has no application');
  },
);

test.serial(
  'an instant sale is worded as a sale, on its page and in the list, with its room’s turn and hold',
  async (t) => {
    const id = await createCampaign(
      buildVoucherCampaign(app.clock.now(), {
        mode: 'instant',
        title_ko: '선착순 판매 문구',
        title_en: 'Sale words',
        opens_at: '2026-12-01T09:00',
        closes_at: '2026-12-02T18:00',
        discount_percent: 10,
        per_person_max: 50_000,
      }),
      false,
    );
    // the room's own rules, not the defaults: a turn of 90 s, a hold of 15 minutes, a pre-queue an hour ahead
    const rules = { prequeue_minutes: 60, admit_per_second: 500, max_active: 2000, token_seconds: 90 };
    const put = await app.request('PUT', `/api/admin/campaigns/${id}/instant-room`, {
      as: admin,
      json: { ...rules, hold_seconds: 900, overbook_percent: 0 },
    });
    t.is(put.status, 200, put.text);
    await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
    const get = async (lang = 'ko', path = `/campaigns/${id}`) =>
      (await app.request('GET', `${path}?lang=${lang}`, { headers: html })).text;

    const before = await get();
    t.regex(before, /<span class="badge state-scheduled">판매 예정<\/span>/);
    t.regex(before, /<dt>판매 기간<\/dt>/);
    t.regex(before, /판매 시작까지 남은 시간/);
    t.notRegex(before, /id="my-place"/, 'nothing to see in a queue not yet open');
    t.regex(before, /<dt>가격<\/dt>\s*<dd id="pay-price">10,000원권을 9,000원에 \(10% 할인\)<\/dd>/);
    t.regex(before, /<dd>50,000원 \(결제 45,000원\)<\/dd>/, 'the most one may buy, and what it costs');
    t.regex(before, /id="pay-how">이 사이트에서 카드로 결제합니다/);
    t.regex(before, /id="pay-queue">2026-12-01 \(화\) 08:00부터 줄을 설 수 있습니다 \(판매 시작 1시간 전\)/);
    t.regex(before, /id="pay-turn">차례가 오면 1분 30초 안에 금액을 골라 구매하세요/);
    t.regex(before, /id="pay-hold">구매한 뒤 15분 안에 결제하세요/);
    t.regex(before, /<h2>구매 자격<\/h2>/);
    t.regex(before, /한 사람당 한 번만 살 수 있습니다/);
    t.notRegex(before, /신청 예정|신청 기간|신청 시작|신청 자격|한 번만 신청|당첨/, 'no lottery words');

    // the pre-queue opens an hour before the sale
    app.clock.set(new Date('2026-12-01T08:00:00+09:00'));
    try {
      const queueing = await get();
      t.regex(queueing, /<span class="badge state-scheduled">대기열 열림<\/span>/);
      t.regex(queueing, /id="my-place">내 대기 순서 보기</);
      t.regex(await get('en'), /<span class="badge state-scheduled">Queue open<\/span>/);
    } finally {
      app.clock.set(new Date('2026-12-01T00:00:00+09:00'));
    }

    await app.db('campaigns').where({ id }).update({ state: 'open' });
    const open = await get();
    t.regex(open, /<span class="badge state-open">판매 중<\/span>/);
    t.regex(open, new RegExp(`<a href="/campaigns/${id}/queue" id="my-place">내 대기 순서 보기</a>`));
    t.notRegex(open, /신청 중|내 신청 보기/);
    t.notRegex(open, /id="pay-queue"/, 'on sale, one queues at once: no time to start queueing');
    t.regex(open, /id="pay-turn">/);
    const en = await get('en');
    t.regex(en, /<span class="badge state-open">On sale<\/span>/);
    t.regex(en, /Sale closes in/);
    t.regex(en, /<dt>Sale period<\/dt>/);
    t.regex(en, />My place in the queue</);
    t.regex(en, /<h2>Who can buy<\/h2>/);
    t.regex(en, /One purchase per person\./);
    t.regex(en, /id="pay-price">A KRW 10,000 voucher for KRW 9,000 \(10% off\)/);
    t.regex(en, /id="pay-how">By card, on this site\./);
    t.regex(
      en,
      /id="pay-turn">When your turn comes, you have 1 minute 30 seconds to choose an amount and buy/,
    );
    t.regex(en, /id="pay-hold">After buying, pay within 15 minutes, or the purchase is cancelled/);
    t.notRegex(
      en,
      /Open for applications|Applications close|See my application|Who can apply|One application/,
    );

    const list = await get('ko', '/campaigns');
    const card = list.slice(list.indexOf('선착순 판매 문구'));
    t.regex(card, /<span class="badge state-open">판매 중<\/span>/);
    t.regex(card, /판매 마감까지 남은 시간/);
    t.regex(card, /<dd class="price">10,000원권을 9,000원에 \(10% 할인\)<\/dd>/);
    const listEn = await get('en', '/campaigns');
    const cardEn = listEn.slice(listEn.indexOf('Sale words'));
    t.regex(cardEn, /<span class="badge state-open">On sale<\/span>/);
    t.regex(cardEn, /Sale closes in/);
    await app.db('campaigns').where({ id }).update({ state: 'finished' });
  },
);

test.serial(
  'a voucher lottery’s page says what a voucher costs, that it is paid by card here, and when a winner pays',
  async (t) => {
    const id = await createCampaign(
      buildVoucherCampaign(app.clock.now(), {
        title_ko: '할인 상품권 추첨',
        title_en: 'Discounted vouchers',
        opens_at: '2026-12-01T09:00',
        closes_at: '2026-12-02T18:00',
        draw_at: '2026-12-02T19:00',
        claim_opens_at: '2026-12-03T09:00',
        claim_closes_at: '2026-12-31T18:00',
        discount_percent: 7.5,
        voucher_unit: 5_000,
        checkout_minutes: 20,
        claim_period_hours: 48,
      }),
    );
    const page = await app.request('GET', `/campaigns/${id}`, { headers: html });
    t.regex(page.text, /<h2>가격과 결제<\/h2>/);
    // a voucher's claim window is the time to pay, not to collect
    t.regex(page.text, /<dt>결제 기간<\/dt>/);
    t.notRegex(page.text, /<dt>수령 기간<\/dt>/);
    t.regex(page.text, /id="pay-price">5,000원권을 4,625원에 \(7\.5% 할인\)/);
    t.regex(page.text, /<dd>250,000원 \(결제 231,250원\)<\/dd>/);
    t.regex(page.text, /id="pay-how">이 사이트에서 카드로 결제합니다/);
    t.regex(
      page.text,
      /id="pay-when">당첨되면 2026-12-03 \(목\) 09:00부터 2026-12-05 \(토\) 09:00까지 결제하세요\. 기한이 지나면 당첨이 취소됩니다/,
    );
    t.regex(page.text, /id="pay-checkout">결제를 시작하면 20분 안에 마치세요/);
    // a lottery keeps its own words
    t.regex(page.text, /<span class="badge state-scheduled">신청 예정<\/span>/);
    t.regex(page.text, /<h2>신청 자격<\/h2>/);
    t.regex(page.text, /한 사람당 한 번만 신청할 수 있습니다/);
    t.notRegex(page.text, /id="pay-turn"|id="my-place"/);
    const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
    t.regex(en.text, /id="pay-price">A KRW 5,000 voucher for KRW 4,625 \(7\.5% off\)/);
    t.regex(
      en.text,
      /id="pay-when">If you win, pay between 2026-12-03 \(Thu\) 09:00 and 2026-12-05 \(Sat\) 09:00\. After that, the win lapses\./,
    );
    t.regex(en.text, /id="pay-checkout">Once you start paying, finish within 20 minutes\./);
    const list = await app.request('GET', '/campaigns', { headers: html });
    t.regex(
      list.text.slice(list.text.indexOf('할인 상품권 추첨')),
      /<dd class="price">5,000원권을 4,625원에/,
    );
  },
);

test.serial('a goods campaign page lists its pickup sites and slots', async (t) => {
  const id = await createCampaign(buildGoodsCampaign(app.clock.now(), ['PH-A', 'PH-B']));
  const res = await app.request('GET', `/campaigns/${id}`, { headers: html });
  t.is(res.status, 200);
  t.regex(res.text, /수령 장소와 시간/);
  t.regex(res.text, /행복약국 PH-A/);
  t.regex(res.text, /<p class="address"><span>중구<\/span> · <span>세종대로 110<\/span><\/p>/);
  t.regex(res.text, /12-03 \(목\) 12:00<\/time> – 14:00/); // now + 60 h = 12-03 12:00 KST
  t.regex(res.text, /1인당 최대/);
  t.regex(res.text, /2개/);
  t.regex(res.text, /<dt>수령 기간<\/dt>/, 'goods are collected in their window');
  // goods are collected free: nothing about a price or paying
  t.notRegex(res.text, /id="payment"|가격과 결제|카드로 결제/);
  const en = await app.request('GET', `/campaigns/${id}?lang=en`, { headers: html });
  t.regex(en.text, /Happy Pharmacy PH-B/);
  t.regex(en.text, /2 items/);
  t.notRegex(en.text, /Price and payment|By card/);
  const list = await app.request('GET', '/campaigns', { headers: html });
  t.notRegex(list.text.slice(list.text.indexOf('테스트 마스크')).split('</li>')[0]!, /class="price"/);
});

test.serial('the times’ zone is said in words, not as its id', async (t) => {
  const seoul = await createCampaign(buildVoucherCampaign(app.clock.now(), { title_ko: '서울 시각' }));
  const ko = await app.request('GET', `/campaigns/${seoul}`, { headers: html });
  t.regex(ko.text, /id="zone-note">모든 시각은 한국 표준시 기준입니다\.</);
  t.notRegex(ko.text, /Asia\/Seoul/);
  const en = await app.request('GET', `/campaigns/${seoul}?lang=en`, { headers: html });
  t.regex(en.text, /id="zone-note">All times are Korean Standard Time\.</);
  const tokyo = await createCampaign(
    buildVoucherCampaign(app.clock.now(), { title_ko: '도쿄 시각', time_zone: 'Asia/Tokyo' }),
  );
  const tk = await app.request('GET', `/campaigns/${tokyo}`, { headers: html });
  t.regex(tk.text, /id="zone-note">모든 시각은 일본 표준시 기준입니다\.</);
  t.notRegex(tk.text, /Asia\/Tokyo/);
  const tkEn = await app.request('GET', `/campaigns/${tokyo}?lang=en`, { headers: html });
  t.regex(tkEn.text, /id="zone-note">All times are Japan Standard Time\.</);
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
