// The resident's pages in the states around the journey (web-journey.test.ts walks the journey itself): signed
// out, already applied, before and after the window, a registered helper, the e-mail form; and an instant sale's
// queue pages.
// Every refused step writes nothing.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buyers, scheduledSale } from '../helpers/instant.js';
import {
  codeFor,
  nextPhone,
  openGoodsCampaign,
  openVoucherCampaign,
  ROOMY_LIMITS,
  setWindow,
  verifyResident,
} from '../helpers/intake.js';
import { hidden, residentBrowser } from '../helpers/residentBrowser.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

const applications = async (campaignId: string) =>
  (await app.db('applications').where({ campaign_id: campaignId })).length;

/** A verified resident on the pages (the token header, as the API gives it: no CSRF field needed). */
async function resident(o: { phone?: string; birth_date?: string } = {}) {
  const r = await verifyResident(app, o);
  const headers = { ...r.headers, accept: 'text/html' };
  return {
    get: (path: string) => app.request('GET', path, { headers }),
    post: (path: string, form: Record<string, string>) => app.request('POST', path, { headers, form }),
  };
}

/** A campaign in the given state (set before any page reads its rules, which the intake caches). */
async function campaignIn(state: 'scheduled' | 'closed') {
  const c = await openVoucherCampaign(app);
  const when =
    state === 'scheduled'
      ? "opens_at = now() + interval '1 hour'"
      : "opens_at = now() - interval '2 days', closes_at = now() - interval '1 hour'";
  await app.db.raw(`UPDATE campaigns SET state = ?, ${when} WHERE id = ?`, [state, c.id]);
  return c;
}

test('signed out, every step past the start leads back to the verification page and writes nothing', async (t) => {
  const c = await openVoucherCampaign(app);
  const base = `/campaigns/${c.id}`;
  const b = residentBrowser(app);
  const csrf = hidden((await b.get(`${base}/apply`)).text, '_csrf');
  for (const [method, path] of [
    ['POST', `${base}/apply`],
    ['POST', `${base}/application`],
    ['GET', `${base}/application`],
    ['POST', `${base}/application/withdraw`],
  ] as const) {
    const res = method === 'GET' ? await b.get(path) : await b.post(path, { _csrf: csrf, amount: '10000' });
    t.is(res.status, 302, `${method} ${path}`);
    t.is(res.headers.get('location'), `${base}/apply`, `${method} ${path}`);
  }
  t.is(await applications(c.id), 0);
});

test('a second submission (another tab) shows the first receipt as "already applied" and adds nothing', async (t) => {
  const c = await openVoucherCampaign(app);
  const base = `/campaigns/${c.id}`;
  const r = await resident();
  const none = await r.get(`${base}/application`);
  t.is(none.status, 302, 'no application yet: no receipt to show');
  t.is(none.headers.get('location'), `${base}/apply`);
  t.is((await r.post(`${base}/apply`, { amount: '20000' })).status, 302);
  const again = await r.post(`${base}/apply`, { amount: '90000' });
  t.is(again.headers.get('location'), `${base}/application?done=duplicate`);
  const page = await r.get(`${base}/application?done=duplicate`);
  t.true(page.text.includes('이미 신청하셨습니다'));
  const rows = await app.db('applications').where({ campaign_id: c.id });
  t.is(rows.length, 1);
  t.is(Number(rows[0].request), 20_000, 'the first request stands');
});

test('before the window opens the form is shown, but a submission is refused in the page language and nothing is kept', async (t) => {
  const c = await campaignIn('scheduled');
  const base = `/campaigns/${c.id}`;
  const r = await resident();
  const form = await r.get(`${base}/apply`);
  t.is(form.status, 200);
  t.regex(form.text, /name="amount"/);
  const ko = await r.post(`${base}/apply`, { amount: '10000' });
  t.is(ko.status, 409);
  t.true(ko.text.includes('아직 신청 기간이 아닙니다'));
  const en = await r.post(`${base}/apply?lang=en`, { amount: '10000' });
  t.is(en.status, 409);
  t.true(en.text.includes('Applications are not open yet'));
  t.is(await applications(c.id), 0);
});

test('after the window, a resident who never applied reads that there is no application (ko and en); a late form is refused', async (t) => {
  const c = await campaignIn('closed');
  const base = `/campaigns/${c.id}`;
  const r = await resident();
  const ko = await r.get(`${base}/apply`);
  t.is(ko.status, 200);
  t.true(ko.text.includes('신청 기록이 없습니다'));
  t.false(ko.text.includes('name="amount"'), 'no form to fill');
  const en = await r.get(`${base}/apply?lang=en`);
  t.true(en.text.includes('No application found'));
  t.regex(en.text, new RegExp(`href="${base}/audit\\?lang=en"`), 'the audit link keeps the language');
  const late = await r.post(`${base}/apply`, { amount: '10000' });
  t.is(late.status, 409);
  t.true(late.text.includes('신청 기간이 끝났습니다'));
  t.is(await applications(c.id), 0);
});

test("an instant sale has no application form: a signed-in resident's apply link leads to its queue", async (t) => {
  const c = await scheduledSale(app, { units: 5 });
  const r = await resident();
  const res = await r.get(`/campaigns/${c.id}/apply`);
  t.is(res.status, 302);
  t.is(res.headers.get('location'), `/campaigns/${c.id}/queue`);
});

test('a registered helper applying for themselves sees the way to apply for someone else; other residents do not', async (t) => {
  const c = await openVoucherCampaign(app);
  const admin = await app.staff('admin');
  const phone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone, birth_date: '19700101', kind: 'family', label: '', cap: 2 },
  });
  t.is(reg.status, 201, reg.text);
  const helperForm = await (await resident({ phone, birth_date: '19700101' })).get(
    `/campaigns/${c.id}/apply`,
  );
  t.true(helperForm.text.includes(`href="/campaigns/${c.id}/proxy"`));
  const plainForm = await (await resident()).get(`/campaigns/${c.id}/apply`);
  t.regex(plainForm.text, /name="amount"/);
  t.false(plainForm.text.includes(`href="/campaigns/${c.id}/proxy"`));
});

// serial: ava runs it before the others, so the count of queued messages is this test's alone
test.serial(
  'the code request names the missing field of the chosen channel, e-mail or phone, and sends nothing',
  async (t) => {
    const c = await openVoucherCampaign(app, { verification_methods: ['sms', 'email'] });
    const base = `/campaigns/${c.id}`;
    const b = residentBrowser(app);
    const csrf = hidden((await b.get(`${base}/apply`)).text, '_csrf');
    const messages = async () => Number((await app.db('messages').count('* as n'))[0]!.n);
    const before = await messages();
    const code = (form: Record<string, string>) =>
      b.post(`${base}/verify/code`, { _csrf: csrf, birth_date: '19820315', ...form });
    for (const [form, field] of [
      [{ channel: 'email' }, 'email'],
      [{ channel: 'sms' }, 'phone'],
      [{ channel: 'email', email: 'nobody' }, 'email'], // the address is checked on its own field
    ] as const) {
      const res = await code(form);
      t.is(res.status, 422, JSON.stringify(form));
      t.regex(res.text, new RegExp(`<a href="#${field}">`), JSON.stringify(form));
      if (form.channel === 'email')
        t.regex(
          res.text,
          /id="birth_date_email" [^>]*value="19820315"/,
          'the e-mail form keeps what was typed',
        );
    }
    // A fault of a field the page has no words of its own for (a channel it does not offer) in the page's
    // language too, not the schema's English
    for (const [lang, words] of [
      ['ko', '다음 중 하나여야 합니다: sms, email'],
      ['en', 'Must be one of: sms, email'],
    ] as const) {
      const res = await b.post(`${base}/verify/code?lang=${lang}`, {
        _csrf: csrf,
        birth_date: '19820315',
        channel: 'fax',
        phone: '010-5555-0101',
      });
      t.is(res.status, 422);
      t.regex(res.text, new RegExp(`<li><a href="#channel">${words}</a></li>`), res.text);
    }
    t.is(await messages(), before);
    const sent = await code({ channel: 'email', email: 'resident@test.example' });
    t.is(sent.status, 200, sent.text.slice(0, 300));
    t.is(hidden(sent.text, 'channel'), 'email');
    t.is(await messages(), before + 1, 'one code sent, by e-mail');
    const noChallenge = await b.post(`${base}/verify/check`, { _csrf: csrf, code: '123456' });
    t.is(noChallenge.status, 422, 'a code without its request: the code page again with the error');
    t.false(b.jar.has('resident_session'));
  },
);

test('the queue pages without JavaScript: no queue for a lottery, signed out to verification, a refusal said on the page', async (t) => {
  const lottery = await openVoucherCampaign(app);
  t.is(
    (await app.request('GET', `/campaigns/${lottery.id}/queue`, { headers: { accept: 'text/html' } })).status,
    404,
  );
  const c = await scheduledSale(app, { units: 5 });
  const base = `/campaigns/${c.id}/queue`;
  for (const path of [base, `${base}/buy`]) {
    const out = await app.request('POST', path, {
      headers: { accept: 'text/html' },
      form: { quantity: '1' },
    });
    t.is(out.status, 302, path);
    t.is(out.headers.get('location'), `/campaigns/${c.id}/apply`, path);
  }
  const [buyer] = await buyers(app, 1);
  const headers = { ...buyer!.headers, accept: 'text/html' };
  const buy = await app.request('POST', `${base}/buy`, {
    headers,
    form: { quantity: '1', idempotency_key: 'page-forged-0001', admission_token: 'not-a-turn' },
  });
  t.is(buy.status, 503, "the queue page again, saying why, with the refusal's status as the API gives it");
  t.true(
    buy.text.includes('지금은 결제를 받을 수 없습니다'),
    'this app takes no payments: said before the turn is checked',
  );
  await app.db('campaigns').where({ id: c.id }).update({ state: 'closed' });
  const late = await app.request('POST', `${base}?lang=en`, { headers });
  t.is(late.status, 409, 'the queue page (not an error page), with the status of campaign_closed');
  t.true(late.text.includes('The application window has closed'));
  t.is((await app.db('instant_purchases').where({ campaign_id: c.id })).length, 0);
  t.is((await app.db('instant_queue').where({ campaign_id: c.id })).length, 0, 'nobody joined');
  for (const query of ['?purchase=NOPE1234', '']) {
    const back = await app.request('GET', `${base}/return${query}`, { headers });
    t.is(back.status, 404, `a return for no purchase of this sale: ${query}`);
  }
});

test('on a service that takes no payments, paying for an award is refused plainly: the form says so, the API answers 503', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const form = await app.request('POST', `/campaigns/${c.id}/award/pay`, {
    headers: { ...r.headers, accept: 'text/html' },
    form: { idempotency_key: 'page-nopay-0001' },
  });
  t.is(form.status, 303);
  t.is(form.headers.get('location'), `/campaigns/${c.id}/application?pay=unavailable#purchase`);
  const api = await app.request('POST', `/api/campaigns/${c.id}/award/orders`, {
    headers: { ...r.headers, 'idempotency-key': 'api-nopay-0001' },
    json: {},
  });
  t.is(api.status, 503);
  t.is(api.json.error.code, 'payment_unavailable');
  t.is((await app.db('orders').where({ campaign_id: c.id })).length, 0);
});

test('the birth-year rotation: on the wrong weekday the page says when their time comes (ko and en) and keeps nothing', async (t) => {
  // The app's clock: Tuesday 2026-12-01 in Seoul; a 1981 birth year applies on Mondays. The window runs to the
  // Tuesday after, so their next time is the weekend and the Monday, in one.
  const c = await openVoucherCampaign(app, { eligibility: { regions: [], birth_year_rotation: true } });
  await setWindow(app, c.id, '2026-11-30T09:00:00+09:00', '2026-12-08T18:00:00+09:00');
  const r = await resident({ birth_date: '19810315' });
  const ko = await r.post(`/campaigns/${c.id}/apply`, { amount: '10000' });
  t.is(ko.status, 403, 'not_eligible');
  t.true(
    ko.text.includes(
      '출생연도 끝자리가 1 또는 6인 분은 평일 중 월요일에만 신청할 수 있습니다(출생연도 5부제). ' +
        '다음 신청 가능 시간: 12월 5일(토) 00:00부터 12월 7일(월) 24:00까지 (한국 표준시). 주말에는 누구나 신청할 수 있습니다.',
    ),
  );
  t.true(ko.text.includes('지금은 신청할 수 없습니다'), 'a refusal, not something to fix');
  t.false(ko.text.includes('고칠 부분이 있습니다'));
  const en = await r.post(`/campaigns/${c.id}/apply?lang=en`, { amount: '10000' });
  t.true(
    en.text.includes(
      'On weekdays, people whose birth year ends in 1 or 6 may apply only on Monday (the birth-year weekday rule). ' +
        'Your next time to apply: Saturday 5 December 00:00 to Monday 7 December 24:00 (Korean Standard Time). ' +
        'Anyone may apply at the weekend.',
    ),
  );
  t.is(await applications(c.id), 0);
});

test('the district search is labelled so that it cannot be read as the district of 구로 (Guro), ko and en', async (t) => {
  const c = await openGoodsCampaign(app); // pharmacies in 중구 and 동구
  const r = await resident();
  const ko = await r.get(`/campaigns/${c.id}/apply`);
  t.regex(ko.text, /<label for="district">지역\(구\)으로 수령처 찾기<\/label>/);
  t.false(ko.text.includes('구로 수령처'));
  const en = await r.get(`/campaigns/${c.id}/apply?lang=en`);
  t.regex(en.text, /<label for="district">Find pickup sites by district<\/label>/);
});

test('with more than 60 possible amounts the form asks for a number instead of a list', async (t) => {
  const c = await openVoucherCampaign(app, { denomination: 1_000, per_person_max: 100_000 });
  const form = await (await resident()).get(`/campaigns/${c.id}/apply`);
  t.regex(form.text, /<input id="amount" name="amount" inputmode="numeric"/);
  t.notRegex(form.text, /<select id="amount"/);
});

test('the campaign page states its age range as set: both ends, or only the upper one (ko and en)', async (t) => {
  const both = await openVoucherCampaign(app, { eligibility: { regions: [], min_age: 20, max_age: 64 } });
  const upper = await openVoucherCampaign(app, { eligibility: { regions: [], max_age: 39 } });
  const page = (id: string, q = '') =>
    app.request('GET', `/campaigns/${id}${q}`, { headers: { accept: 'text/html' } });
  t.true((await page(both.id)).text.includes('만 20세 이상 64세 이하'));
  t.true((await page(both.id, '?lang=en')).text.includes('Aged 20 to 64'));
  t.true((await page(upper.id)).text.includes('만 39세 이하'));
  t.true((await page(upper.id, '?lang=en')).text.includes('Aged 39 or under'));
});

test("a resident signed in by the pages' cookie needs the CSRF token on the sale's API too; with it the join works", async (t) => {
  const sale = await scheduledSale(app, { units: 5 });
  const b = residentBrowser(app);
  const start = await b.get(`/campaigns/${sale.id}/apply`);
  const csrf = hidden(start.text, '_csrf');
  const sent = await b.post(`/campaigns/${sale.id}/verify/code`, {
    _csrf: csrf,
    channel: 'sms',
    phone: nextPhone(),
    birth_date: '19820315',
  });
  const challenge_id = hidden(sent.text, 'challenge_id');
  await b.post(`/campaigns/${sale.id}/verify/check`, {
    _csrf: csrf,
    challenge_id,
    code: await codeFor(app, challenge_id),
  });
  t.true(b.jar.has('resident_session'));
  const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const join = (headers: Record<string, string>) =>
    app.request('POST', `/api/campaigns/${sale.id}/queue`, { headers: { cookie, ...headers }, json: {} });
  const forged = await join({});
  t.is(forged.status, 403);
  t.is(forged.json.error.code, 'csrf_failed');
  t.is((await app.db('instant_queue').where({ campaign_id: sale.id })).length, 0, 'nobody joined');
  const joined = await join({ 'x-csrf-token': csrf });
  t.is(joined.status, 200, joined.text);
  t.is((await app.db('instant_queue').where({ campaign_id: sale.id })).length, 1);
  const read = await app.request('GET', `/api/campaigns/${sale.id}/queue`, { headers: { cookie } });
  t.is(read.status, 200, 'reading needs no token');
});

test('a code asked for again too soon says how long to wait, in the page language', async (t) => {
  const c = await openVoucherCampaign(app);
  const base = `/campaigns/${c.id}`;
  const b = residentBrowser(app);
  const csrf = hidden((await b.get(`${base}/apply`)).text, '_csrf');
  const phone = '010-5550-7311';
  const ask = (lang: string) =>
    b.post(`${base}/verify/code?lang=${lang}`, {
      _csrf: csrf,
      birth_date: '19820315',
      channel: 'sms',
      phone,
    });
  t.is((await ask('ko')).status, 200);
  const again = await ask('ko');
  t.is(again.status, 429);
  t.regex(again.text, /요청이 너무 많습니다\. \d+초 뒤에 다시 시도해 주세요\./);
  t.regex((await ask('en')).text, /Please try again in \d+ seconds\./);
});
