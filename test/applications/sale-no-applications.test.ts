// An instant sale takes no applications: the API, the web form, an SMS 신청 and a registered helper's proxy
// application are each refused with use_sale_queue (telling them to join the sale's queue), and nothing is
// written. A sale's verification page offers no proxy link (a lottery's still does).
import test from 'ava';
import type { TestApp } from '../helpers/app.js';
import { SMS_TEST_TOKEN, smsTestApp, textService } from '../helpers/inboundSms.js';
import {
  nextPhone,
  openVoucherCampaign,
  proxySubjectToken,
  registeredHelper,
  verifyResident,
} from '../helpers/intake.js';
import { hidden, residentBrowser } from '../helpers/residentBrowser.js';

const TOKEN = SMS_TEST_TOKEN;
let app: TestApp;
test.before(async () => {
  app = await smsTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const openSale = () => openVoucherCampaign(app, { mode: 'instant' });
const applications = async (id: string) => (await app.db('applications').where({ campaign_id: id })).length;

test('the API refuses an application to a sale with use_sale_queue, pointing at its queue', async (t) => {
  const c = await openSale();
  const r = await verifyResident(app, { phone: nextPhone() });
  const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  t.is(res.status, 409, res.text);
  t.is(res.json.error.code, 'use_sale_queue');
  t.deepEqual(res.json.error.details, {
    queue: `/campaigns/${c.id}/queue`,
    queue_api: `/api/campaigns/${c.id}/queue`,
  });
  t.is(await applications(c.id), 0);
});

test('the web form refuses an application to a sale in the page’s words', async (t) => {
  const c = await openSale();
  const r = await verifyResident(app, { phone: nextPhone() });
  for (const [lang, words] of [
    ['ko', /선착순 판매라 신청을 받지 않습니다/],
    ['en', /This is a first-come sale: it takes no applications/],
  ] as const) {
    const b = residentBrowser(app);
    b.jar.set('resident_session', r.token);
    b.jar.set('lang', lang);
    const csrf = hidden((await b.get(`/campaigns/${c.id}/queue`)).text, '_csrf');
    const res = await b.post(`/campaigns/${c.id}/apply`, { _csrf: csrf, amount: '10000' });
    t.is(res.status, 409, res.text);
    t.regex(res.text, words);
  }
  t.is(await applications(c.id), 0);
});

test.serial(
  'an SMS 신청 for a sale is answered with its queue’s address, and nothing is written',
  async (t) => {
    const c = await openSale();
    const identities = (await app.db('identities').count({ n: '*' }).first())!.n;
    const reply = await textService(app, TOKEN, nextPhone(), `신청 ${c.code} 10000 19820315`);
    t.regex(reply, /선착순 판매라 문자 신청을 받지 않습니다/);
    t.true(reply.includes(`/campaigns/${c.id}/queue`), reply);
    const en = await textService(app, TOKEN, nextPhone(), `APPLY ${c.code} 10000 19820315`);
    t.regex(en, /first-come sale.*\/queue\?lang=en/);
    t.is(await applications(c.id), 0);
    t.is((await app.db('identities').count({ n: '*' }).first())!.n, identities, 'no identity made either');
  },
);

test('a registered helper’s proxy application to a sale is refused, and no use of the cap is taken', async (t) => {
  const helper = await registeredHelper(app);
  const subject_token = await proxySubjectToken(app, helper.headers, nextPhone());
  const c = await openSale();
  const res = await app.request('POST', `/api/proxy/campaigns/${c.id}/applications`, {
    headers: helper.headers,
    json: { subject_token, amount: 10_000 },
  });
  t.is(res.status, 409, res.text);
  t.is(res.json.error.code, 'use_sale_queue');
  t.is(await applications(c.id), 0);
  t.is((await app.db('proxies').where({ id: helper.proxyId }).first()).used, 0);
});

test('a sale’s verification page offers no proxy link; a lottery’s does', async (t) => {
  const sale = await openSale();
  const lottery = await openVoucherCampaign(app);
  const page = async (id: string) =>
    (await app.request('GET', `/campaigns/${id}/apply`, { headers: { accept: 'text/html' } })).text;
  t.notRegex(await page(sale.id), new RegExp(`href="/campaigns/${sale.id}/proxy"`));
  t.regex(await page(lottery.id), new RegExp(`href="/campaigns/${lottery.id}/proxy"`));
});

test('a sale’s proxy page says a sale has no proxy application and links to the sale, with no form', async (t) => {
  const sale = await openSale();
  const helper = await registeredHelper(app);
  for (const [lang, words] of [
    ['ko', /선착순 판매에는 대리 신청이 없습니다/],
    ['en', /A sale has no proxy application/],
  ] as const) {
    // signed out, and signed in as a registered helper (who got the person's form before)
    for (const headers of [{}, helper.headers]) {
      const res = await app.request('GET', `/campaigns/${sale.id}/proxy?lang=${lang}`, {
        headers: { ...headers, accept: 'text/html' },
      });
      t.is(res.status, 409, res.text.slice(0, 300));
      t.regex(res.text, words);
      t.regex(
        res.text,
        new RegExp(`id="sale-page-link" href="/campaigns/${sale.id}${lang === 'en' ? '\\?lang=en' : ''}"`),
      );
      t.notRegex(res.text, /<form[^>]*action="\/campaigns\/[^"]*\/(proxy|verify)/, 'no form to fill in');
    }
  }
  // the code step sends nothing for a sale either
  const outbox = (await app.db('verification_challenges').count({ n: '*' }).first())!.n;
  const code = await app.request('POST', `/campaigns/${sale.id}/proxy/code`, {
    headers: { ...helper.headers, accept: 'text/html' },
    form: { phone: nextPhone(), birth_date: '19400202' },
  });
  t.is(code.status, 409);
  t.regex(code.text, /선착순 판매에는 대리 신청이 없습니다/);
  t.is((await app.db('verification_challenges').count({ n: '*' }).first())!.n, outbox, 'no code sent');

  const lottery = await openVoucherCampaign(app);
  const page = await app.request('GET', `/campaigns/${lottery.id}/proxy`, {
    headers: { ...helper.headers, accept: 'text/html' },
  });
  t.is(page.status, 200, 'a lottery’s proxy page is as it was');
  t.regex(page.text, new RegExp(`action="/campaigns/${lottery.id}/proxy/code"`));
});
