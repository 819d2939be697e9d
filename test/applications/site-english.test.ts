// Where to collect, in English: an English reader's result page, their result notices (SMS and email), the
// campaign page's site list, the application form's sites and district filter and the stock page show a site's
// English district and address where the operator gave them, and the Korean ones where not. Korean readers see
// the Korean throughout.
import test from 'ava';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { encryptText } from '../../src/identity/crypto.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { openedTexts } from '../../src/notify/recipient.js';
import { appIdOf, awardsOf, drawnLottery } from '../draw/_scenario.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { buildGoodsCampaign } from '../helpers/factories.js';
import { openWindow, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
let admin: StaffAuth;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 } });
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const text = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const HANGUL = /[\uac00-\ud7a3]/;

async function resultHtml(campaignId: string, publicId: string, lang: 'ko' | 'en') {
  const a = await app.db('applications').where({ campaign_id: campaignId, public_id: publicId }).first();
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: a.identity_id, m: 'sms', bd: '1982-03-15', bs: 'declared', cc: null, ce: null, lang: 'ko' },
    app.clock.now(),
  );
  const res = await app.request(
    'GET',
    `/campaigns/${campaignId}/application${lang === 'en' ? '?lang=en' : ''}`,
    { headers: { 'x-resident-token': token, accept: 'text/html' } },
  );
  return res.text;
}
const resultPage = async (...args: Parameters<typeof resultHtml>) => text(await resultHtml(...args));

test.serial(
  "a winner's English result page and notices name the English address, or the Korean one where none was given",
  async (t) => {
    const { s, env } = await drawnLottery(app, { applicants: 40 });
    const c = s.campaignId;
    const [withEn, koOnly] = s.siteIds as [string, string];
    const koAddress = (id: string) => `서울 중구 ${id}길 1`;
    const enAddress = `1 ${withEn}-gil, Jung-gu, Seoul`;
    await app.db('sites').where({ id: withEn }).update({ district_en: 'Jung-gu', address_en: enAddress });

    // At each site (6 items, at most 3 a person, so two winners or more) one English reader hears by email and
    // one by SMS; a third, where there is one, reads Korean.
    const winners = (await awardsOf(app.db, c)).filter((a) => a.outcome === 'won');
    const readers: Array<{ publicId: string; site: string; lang: 'ko' | 'en'; channel: 'email' | 'sms' }> =
      [];
    for (const site of [withEn, koOnly]) {
      const here = winners.filter((w) => w.site === site);
      t.true(here.length >= 2, `two winners at ${site}`);
      here.slice(0, 3).forEach((w, i) => {
        readers.push({
          publicId: w.public_id,
          site,
          lang: i < 2 ? 'en' : 'ko',
          channel: i === 1 ? 'sms' : 'email',
        });
      });
    }
    for (const [i, r] of readers.entries()) {
      const to = r.channel === 'sms' ? `+8210555${String(i).padStart(5, '0')}` : `reader${i}@test.example`;
      await app
        .db('applications')
        .where({ campaign_id: c, public_id: r.publicId })
        .update({
          lang: r.lang,
          contact_channel: r.channel,
          contact_enc: encryptText(TEST_SECRETS, to, 'contact'),
        });
    }
    await fanOutResults(env, c);

    for (const r of readers) {
      const appId = await appIdOf(app.db, c, r.publicId);
      const m = await app
        .db('messages')
        .where({ campaign_id: c, dedupe_key: `result:${appId}` })
        .first();
      t.like(m, { kind: 'result_won', channel: r.channel, lang: r.lang }, `${r.publicId} was told`);
      const { body } = openedTexts(m, TEST_SECRETS.dataKey);
      const label = `${r.lang} ${r.channel} at ${r.site}`;
      if (r.lang === 'en' && r.site === withEn) {
        t.true(body.includes(`Pharmacy ${withEn} (${enAddress})`), `${label}: ${body}`);
        t.false(body.includes(koAddress(withEn)), label);
        if (r.channel === 'sms') t.notRegex(body, HANGUL, `${label}: no Hangul left in the SMS`);
      } else if (r.lang === 'en') {
        t.true(
          body.includes(`Pharmacy ${koOnly} (${koAddress(koOnly)})`),
          `${label}: the Korean, for want of English`,
        );
      } else {
        t.true(body.includes(`약국 ${r.site} (${koAddress(r.site)})`), `${label}: ${body}`);
      }
    }

    const atEn = readers.find((r) => r.site === withEn)!.publicId;
    const en = await resultPage(c, atEn, 'en');
    t.true(en.includes(`Pharmacy ${withEn} ${enAddress} (Jung-gu)`), en);
    t.false(en.includes(koAddress(withEn)));
    const ko = await resultPage(c, atEn, 'ko');
    t.true(ko.includes(`약국 ${withEn} ${koAddress(withEn)} (중구)`), ko);
    t.false(ko.includes(enAddress), 'Korean readers see the Korean');
    const atKo = readers.find((r) => r.site === koOnly)!.publicId;
    t.true(
      (await resultPage(c, atKo, 'en')).includes(`Pharmacy ${koOnly} ${koAddress(koOnly)} (중구)`),
      'no English given: the Korean address and district',
    );
    // marked as Korean, so a screen reader reading the English page voices them as Korean
    const koOnlyHtml = await resultHtml(c, atKo, 'en');
    t.true(koOnlyHtml.includes(`<span lang="ko">${koAddress(koOnly)}</span> <span lang="ko">(중구)</span>`));
    t.true((await resultHtml(c, atEn, 'en')).includes(`<span>${enAddress}</span> <span>(Jung-gu)</span>`));
  },
);

test.serial(
  "the campaign page's site list, the form's sites and district filter and the stock page name sites in English where given",
  async (t) => {
    const sites = {
      'EN-J': { name_ko: '세종약국', name_en: 'Sejong Pharmacy', district: '중구', district_en: 'Jung-gu' },
      'EN-D': { name_ko: '동부약국', name_en: 'Dongbu Pharmacy', district: '동구' },
    };
    const addresses = {
      'EN-J': { address: '서울 중구 세종대로 110', address_en: '110 Sejong-daero, Jung-gu, Seoul' },
      'EN-D': { address: '동부대로 2' },
    };
    for (const [id, s] of Object.entries(sites)) {
      const put = await app.request('PUT', `/api/admin/sites/${id}`, {
        as: admin,
        json: { ...s, ...addresses[id as keyof typeof addresses] },
      });
      t.is(put.status, 200, put.text);
    }
    const input = parseCampaignBody(buildGoodsCampaign(app.clock.now(), Object.keys(sites)));
    const c = await createCampaign({ db: app.db, clock: app.clock }, { kind: 'system', name: 'test' }, input);
    await openWindow(app, c.id);

    const page = async (path: string, headers: Record<string, string> = {}) =>
      (await app.request('GET', path, { headers: { accept: 'text/html', ...headers } })).text;
    const en = await page(`/campaigns/${c.id}?lang=en`);
    t.regex(
      en,
      /<p class="address"><span>Jung-gu<\/span> · <span>110 Sejong-daero, Jung-gu, Seoul<\/span><\/p>/,
    );
    t.regex(
      en,
      /<p class="address"><span lang="ko">동구<\/span> · <span lang="ko">동부대로 2<\/span><\/p>/,
      'no English given: the Korean, marked as Korean for a screen reader',
    );
    const ko = await page(`/campaigns/${c.id}`);
    t.regex(ko, /<p class="address"><span>중구<\/span> · <span>서울 중구 세종대로 110<\/span><\/p>/);

    // The form: each district once, its value the Korean (the filter's key), its label in the reader's words.
    const r = await verifyResident(app);
    const form = await page(`/campaigns/${c.id}/apply?lang=en`, r.headers);
    t.regex(form, /<option value="중구" >Jung-gu<\/option>/);
    t.regex(form, /<option value="동구" lang="ko" >동구<\/option>/);
    t.regex(
      form,
      /<option value="EN-J" >Sejong Pharmacy · Jung-gu 110 Sejong-daero, Jung-gu, Seoul<\/option>/,
    );
    t.regex(form, /<option value="EN-D" >Dongbu Pharmacy · 동구 동부대로 2<\/option>/);
    const koForm = await page(`/campaigns/${c.id}/apply`, r.headers);
    t.regex(koForm, /<option value="중구" >중구<\/option>/);
    t.regex(koForm, /<option value="EN-J" >세종약국 · 중구 서울 중구 세종대로 110<\/option>/);
    // A district asked for in either language picks the same sites, and the filter shows it chosen.
    for (const d of ['중구', 'Jung-gu']) {
      const narrowed = await page(
        `/campaigns/${c.id}/apply?lang=en&district=${encodeURIComponent(d)}`,
        r.headers,
      );
      t.regex(narrowed, /<option value="중구" selected>Jung-gu<\/option>/, d);
      t.true(narrowed.includes('value="EN-J"'), d);
      t.false(narrowed.includes('value="EN-D"'), d);
      const api = await app.request('GET', `/api/campaigns/${c.id}/sites?district=${encodeURIComponent(d)}`);
      t.deepEqual(
        api.json.sites.map((s: { id: string; district_en: string }) => [s.id, s.district_en]),
        [['EN-J', 'Jung-gu']],
        d,
      );
    }

    // The stock page and its API.
    const stock = await page(`/campaigns/${c.id}/stock?lang=en`);
    t.regex(stock, /Sejong Pharmacy <span class="meta">· Jung-gu<\/span>/);
    t.regex(stock, /Dongbu Pharmacy <span class="meta" lang="ko">· 동구<\/span>/);
    t.regex(await page(`/campaigns/${c.id}/stock`), /세종약국 <span class="meta">· 중구<\/span>/);
    const json = (await app.request('GET', `/api/campaigns/${c.id}/stock`)).json;
    t.deepEqual(
      json.sites.map((s: Record<string, string>) => [s.site_id, s.district, s.district_en]),
      [
        ['EN-D', '동구', ''],
        ['EN-J', '중구', 'Jung-gu'],
      ],
    );
  },
);
