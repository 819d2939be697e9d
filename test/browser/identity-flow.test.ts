// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// 본인인증 in headless Chromium without credentials: the verification page offers it beside the phone code, the
// development stand-in plays PortOne's window, and the person applies with the provider's birth date; without
// JavaScript too. Then an admin's pages for restricted-group lists and same-person flags. axe-core on each page.
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { createDevVerifier } from '../../src/identity/portone.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { checkPage, newPhonePage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

const suite = browserSuite(
  'test/browser/identity-flow.test.ts',
  'The 본인인증 journey and the identity admin pages',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;
let app: TestApp;
let browser: Browser;
let campaignId = '';

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, portone: createDevVerifier() } });
  const c = await openVoucherCampaign(app, {
    verification_methods: ['sms', 'portone'],
    groups: [{ name: 'basic', name_ko: '기초생활수급자', reserved: 0, weight: 2, check: 'list' }],
  });
  campaignId = c.id;
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

for (const js of [true, false]) {
  browserTest(
    `본인인증 through the development stand-in, then apply (JavaScript ${js ? 'on' : 'off'})`,
    async (t) => {
      const page = await newPhonePage(browser, js);
      await page.goto(`${app.url}/campaigns/${campaignId}/apply`);
      if (js) await checkPage(t, page, 'verification page with 본인인증');
      // email is not offered: this campaign does not allow it
      t.is(await page.locator('#email').count(), 0);
      await page.getByRole('link', { name: '휴대폰 본인인증 (통신사)' }).click();
      t.regex(await page.locator('h1').innerText(), /개발용 대역/);
      if (js) await checkPage(t, page, 'development identity verification page');
      await page.fill('#name', js ? '이순자' : '김말순');
      await page.fill('#phone', js ? '010-7000-0001' : '010-7000-0002');
      await page.fill('#birth_date', '19440404');
      await page.getByRole('button', { name: '인증하기' }).click();
      await page.waitForURL(/\/apply$/);
      await page
        .locator('form[action$="/apply"] [name=amount]')
        .first()
        .selectOption({ index: 1 })
        .catch(async () => {
          await page.fill('[name=amount]', '100000');
        });
      await page.locator('form[action$="/apply"] button[type=submit]').click();
      await page.waitForURL(/\/application/);
      const row = await app
        .db('applications')
        .where({ campaign_id: campaignId })
        .orderBy('created_at', 'desc')
        .first();
      t.is(row.birth_date_source, 'provider');
      t.is(row.channel, 'web');
      await page.context().close();
    },
  );
}

browserTest('an admin imports a restricted-group list and sees the same-person page', async (t) => {
  const email = `identity-admin-${Date.now()}@test.example`;
  const password = 'correct horse battery staple';
  await addStaff(
    { db: app.db, clock: app.clock },
    { kind: 'system', name: 'test' },
    { email, role: 'admin', password },
  );
  const page = await newPhonePage(browser, true);
  await page.goto(`${app.url}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main button[type=submit]').click();
  await page.goto(`${app.url}/admin/campaigns/${campaignId}/groups`);
  await checkPage(t, page, 'priority groups page');
  await page.fill('textarea[name=csv]', 'phone\n010-7000-1000\nnope');
  await page.getByRole('button', { name: '가져와서 명단 바꾸기' }).click();
  const summary = await page.locator('.error-summary').innerText();
  t.regex(summary, /3번째 줄: 휴대전화 번호나 subject가 아닙니다/, 'in the page’s language, on its line');
  t.notRegex(summary, /Line 3/);
  await checkPage(t, page, 'priority groups page with an error');
  await page.fill('textarea[name=csv]', 'phone\n010-7000-1000\n010-7000-1001');
  await page.getByRole('button', { name: '가져와서 명단 바꾸기' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /2건/);
  await page.getByRole('link', { name: '동일인 확인' }).click();
  t.regex(await page.locator('h1').innerText(), /같은 사람의 두 신청/);
  await checkPage(t, page, 'same-person page');
  await page.context().close();
});
