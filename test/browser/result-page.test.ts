// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// The winner's own page in headless Chromium at 375 px (a small phone), Korean and English, with and without
// JavaScript: the outcome, the claim code and its QR fit the screen, and axe-core finds no serious or critical
// problem; then the other outcomes and the admin pages built with it. Screenshots go to SCREENSHOT_DIR.
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { resultsPublished } from '../../src/domain/result.js';
import { RESIDENT_COOKIE, signResidentToken } from '../../src/identity/residentSession.js';
import { at, awardsOf, drawnLottery } from '../draw/_scenario.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { appliedResident, openVoucherCampaign, verifyResident } from '../helpers/intake.js';

const suite = browserSuite(
  'test/browser/result-page.test.ts',
  "The winner's page in a browser and with axe-core",
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let campaignId: string;
let admin: StaffAuth;
const people: Record<'won' | 'waitlisted', { publicId: string; identityId: string }> = {} as never;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  const drawn = await drawnLottery(app, { applicants: 40 });
  campaignId = drawn.s.campaignId;
  await fanOutResults(drawn.env, campaignId);
  const awards = await awardsOf(app.db, campaignId);
  for (const kind of ['won', 'waitlisted'] as const) {
    const a = awards.find((x) => x.outcome === kind)!;
    const row = await app
      .db('applications')
      .where({ campaign_id: campaignId, public_id: a.public_id })
      .first();
    people[kind] = { publicId: a.public_id, identityId: row.identity_id };
    if (kind === 'won') {
      await app.db('sites').where({ id: a.site }).update({
        phone: '02-123-4567',
        hours_ko: '평일 09:00-18:00, 토 09:00-13:00',
        hours_en: 'Weekdays 09:00-18:00, Sat 09:00-13:00',
        lat: 37.5636,
        lng: 126.9976,
      });
    }
  }
  app.clock.set(at(5));
  admin = await app.staff('admin');
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

async function residentPage(
  who: { identityId: string },
  width: number,
  javaScriptEnabled: boolean,
): Promise<Page> {
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: who.identityId, m: 'sms', bd: '1982-03-15', bs: 'declared', cc: null, ce: null, lang: 'ko' },
    app.clock.now(),
  );
  const context = await browser!.newContext({
    viewport: { width, height: 800 },
    isMobile: width < 500,
    javaScriptEnabled,
    locale: 'ko-KR',
  });
  await context.addCookies([{ name: RESIDENT_COOKIE, value: token, url: app.url }]);
  return context.newPage();
}

async function noSideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

browserTest("the winner's page at 375 px, Korean and English, with and without JavaScript", async (t) => {
  const c = await app.db('campaigns').where({ id: campaignId }).first();
  t.true(resultsPublished(c));
  for (const js of [true, false]) {
    for (const lang of ['ko', 'en'] as const) {
      const page = await residentPage(people.won, 375, js);
      await page.goto(`${app.url}/campaigns/${campaignId}/application${lang === 'en' ? '?lang=en' : ''}`);
      await t.is(await page.locator('h1').innerText(), lang === 'ko' ? '당첨되었습니다' : 'You won');
      t.regex(await page.locator('#claim-code').innerText(), /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      const qr = await page.locator('.qr svg').boundingBox();
      t.truthy(qr, 'the QR is drawn without JavaScript');
      t.true(qr!.width >= 150 && qr!.x + qr!.width <= 375, `QR ${JSON.stringify(qr)}`);
      t.true((await noSideways(page)) <= 375, 'nothing wider than the screen');
      t.regex(await page.locator('#bring').innerText(), lang === 'ko' ? /신분증/ : /Photo ID/);
      t.regex(await page.locator('#slot').innerText(), /2026-12-03/);
      if (js) await checkPage(t, page, `the winner's page (${lang})`);
      await shootPage(page, `result-won-${lang}-375${js ? '' : '-nojs'}`);
      await page.context().close();
    }
  }
  const wide = await residentPage(people.won, 1280, true);
  await wide.goto(`${app.url}/campaigns/${campaignId}/application`);
  await shootPage(wide, 'result-won-ko-1280');
  await wide.emulateMedia({ media: 'print' });
  await shootPage(wide, 'result-won-ko-print');
  t.false(await wide.locator('header.top').isVisible(), 'the printed page leaves the navigation out');
  await wide.context().close();
});

browserTest(
  'the waitlisted and not-selected pages, and the audit lookup, at 375 px and desktop',
  async (t) => {
    for (const width of [375, 1280]) {
      for (const lang of ['ko', 'en'] as const) {
        const q = lang === 'en' ? '?lang=en' : '';
        const page = await residentPage(people.waitlisted, width, true);
        await page.goto(`${app.url}/campaigns/${campaignId}/application${q}`);
        t.regex(await page.locator('h1').innerText(), lang === 'ko' ? /대기자 명단/ : /waitlist/);
        if (width === 375) await checkPage(t, page, `the waitlisted page (${lang})`);
        await shootPage(page, `result-waitlisted-${lang}-${width}`);
        await page.goto(
          `${app.url}/campaigns/${campaignId}/audit?public_id=${people.won.publicId}${lang === 'en' ? '&lang=en' : ''}#lookup`,
        );
        t.regex(await page.locator('#lookup-site').innerText(), lang === 'ko' ? /약국/ : /Pharmacy/);
        const cut = await page.evaluate(
          () =>
            [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth).length,
        );
        t.is(cut, 0, `the audit page's small tables fit the screen, their numbers shown (${width} px)`);
        if (width === 375) await checkPage(t, page, `the audit lookup (${lang})`);
        await shootPage(page, `audit-lookup-${lang}-${width}`);
        await page.goto(`${app.url}/campaigns/${campaignId}${q}`);
        t.true(await page.locator('#my-result').isVisible());
        await shootPage(page, `campaign-drawn-${lang}-${width}`);
        await page.context().close();
      }
    }
    await app.db('campaigns').where({ id: campaignId }).update({ unclaimed_policy: 'return' });
    // written behind the service's back: its rules cache (1 s) would show the waitlist to a page loaded at once
    app.deps.intake.rules.forget(campaignId);
    const lost = await residentPage(people.waitlisted, 375, true);
    await lost.goto(`${app.url}/campaigns/${campaignId}/application`);
    t.is(await lost.locator('h1').innerText(), '이번에는 당첨되지 않았습니다');
    await checkPage(t, lost, 'the not-selected page');
    await shootPage(lost, 'result-lost-ko-375');
    await lost.goto(`${app.url}/campaigns/${campaignId}/application?lang=en`);
    await shootPage(lost, 'result-lost-en-375');
    await lost.context().close();
    await app.db('campaigns').where({ id: campaignId }).update({ unclaimed_policy: 'pass_down' });
  },
);

browserTest("a cancelled campaign's receipt page at 375 px and desktop, Korean and English", async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await appliedResident(app, c.id);
  const messages = {
    ko: '예산이 바뀌어 취소합니다. 다음 달 2차 신청을 문자로 알려 드립니다.',
    en: 'Cancelled after a budget change. A second round next month will be announced by SMS.',
  };
  const cancel = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: { message_ko: messages.ko, message_en: messages.en },
  });
  t.is(cancel.status, 200, cancel.text);
  app.deps.intake.rules.forget(c.id);
  for (const width of [375, 1280]) {
    for (const lang of ['ko', 'en'] as const) {
      const context = await browser!.newContext({ viewport: { width, height: 800 }, isMobile: width < 500 });
      await context.addCookies([{ name: RESIDENT_COOKIE, value: r.token, url: app.url }]);
      const page = await context.newPage();
      await page.goto(`${app.url}/campaigns/${c.id}/application${lang === 'en' ? '?lang=en' : ''}`);
      t.regex(
        await page.locator('#campaign-cancelled').innerText(),
        lang === 'ko' ? /취소되었습니다/ : /was cancelled/,
      );
      t.true((await page.locator('#cancel-message').innerText()).includes(messages[lang]));
      t.is(await page.locator('#window-closed').count(), 0, 'no draw date for a draw that will not come');
      t.true((await noSideways(page)) <= width);
      if (width === 375) await checkPage(t, page, `the cancelled campaign's receipt (${lang})`);
      await shootPage(page, `receipt-cancelled-${lang}-${width}`);
      await context.clearCookies(); // signed out, as one who follows the notice's link may be
      await page.goto(`${app.url}/campaigns/${c.id}/application${lang === 'en' ? '?lang=en' : ''}`);
      t.regex(await page.locator('#campaign-cancelled').innerText(), lang === 'ko' ? /본인 확인/ : /verify/);
      t.true((await page.locator('#cancel-message').innerText()).includes(messages[lang]));
      t.is(await page.locator(`a[href="/campaigns/${c.id}/proxy"]`).count(), 0, 'no applying for another');
      if (width === 375) await checkPage(t, page, `the cancelled campaign's sign-in (${lang})`);
      await shootPage(page, `verify-cancelled-${lang}-${width}`);
      await context.close();
    }
  }
});

browserTest('the admin pages for sites, staff, slots, CSV import and notices, with axe', async (t) => {
  const site = (await app.db('campaign_slots').where({ campaign_id: campaignId }).first()).site_id;
  await app.request('POST', `/api/admin/sites/import`, {
    as: admin,
    json: { csv: 'id,name_ko,name_en\nSHOT-1,촬영약국,Shot Pharmacy' },
  });
  const pages: Array<[string, string]> = [
    ['admin-sites', '/admin/sites'],
    ['admin-site-edit', `/admin/sites/${site}/edit`],
    ['admin-site-staff', `/admin/sites/${site}/staff`],
    ['admin-sites-import', '/admin/sites/import'],
    ['admin-campaign', `/admin/campaigns/${campaignId}`],
    ['admin-slots', `/admin/campaigns/${campaignId}/slots`],
    ['admin-site-slots', `/admin/campaigns/${campaignId}/slots/site/${site}`],
    ['admin-slots-import', `/admin/campaigns/${campaignId}/slots/import`],
    ['admin-messages', `/admin/campaigns/${campaignId}/messages`],
  ];
  for (const width of [375, 1280]) {
    const context = await browser!.newContext({
      viewport: { width, height: 800 },
      extraHTTPHeaders: { authorization: `Bearer ${admin.token}` },
    });
    const page = await context.newPage();
    for (const [name, url] of pages) {
      // English at phone width only: the machine is small and the pages are the same shape.
      for (const lang of width === 375 ? ['ko', 'en'] : ['ko']) {
        const res = await page.goto(`${app.url}${url}?lang=${lang}`); // the choice is remembered: say it each time
        t.is(res?.status(), 200, url);
        if (width === 375 && lang === 'ko') await checkPage(t, page, url);
        await shootPage(page, `${name}-${lang}-${width}`);
      }
    }
    await context.close();
  }
});

browserTest(
  'the stock page fits a phone: each slot, its capacity and what remains, nothing sideways',
  async (t) => {
    for (const width of [375, 1280]) {
      for (const lang of ['ko', 'en'] as const) {
        const context = await browser!.newContext({
          viewport: { width, height: 800 },
          isMobile: width < 500,
        });
        const page = await context.newPage();
        await page.goto(`${app.url}/campaigns/${campaignId}/stock${lang === 'en' ? '?lang=en' : ''}`);
        t.true((await noSideways(page)) <= width, `${lang} at ${width}: ${await noSideways(page)} px wide`);
        const table = page.locator('table.stock').first();
        const remaining = table.locator('thead th').last();
        t.regex(await remaining.innerText(), lang === 'ko' ? /남음/ : /Remaining/);
        t.true(await remaining.isVisible(), 'what remains is on screen');
        t.is(await table.locator('thead th.wide-only').first().isVisible(), width > 500);
        t.regex(
          await table.locator('tbody th').first().innerText(),
          /^2026-12-\d\d\s+\d\d:\d\d$/,
          'date and time',
        );
        if (width === 375) await checkPage(t, page, `the stock page (${lang})`);
        await shootPage(page, `stock-${lang}-${width}`);
        await context.close();
      }
    }
  },
);

browserTest("the apply form's priority groups are radio buttons beside their words, at 375 px", async (t) => {
  const c = await openVoucherCampaign(app, {
    groups: [
      { name: 'disabled', name_ko: '장애인', name_en: 'People with disabilities', reserved: 0, weight: 2 },
    ],
  });
  const r = await verifyResident(app);
  const context = await browser!.newContext({ viewport: { width: 375, height: 800 }, isMobile: true });
  await context.addCookies([{ name: RESIDENT_COOKIE, value: r.token, url: app.url }]);
  const page = await context.newPage();
  await page.goto(`${app.url}/campaigns/${c.id}/apply`);
  const option = page.getByLabel('장애인');
  await option.check();
  const box = (await option.boundingBox())!;
  const label = (await page.locator('label.check', { hasText: '장애인' }).boundingBox())!;
  t.true(box.width <= 32, `the radio is a box, not a row: ${box.width} px`);
  t.true(box.x - label.x <= 24, 'at the start of its row');
  t.true(label.height <= 60, `the words on one line, not a syllable a line: ${label.height} px`);
  t.true((await noSideways(page)) <= 375);
  await shootPage(page, 'apply-groups-ko-375');
  await context.close();
});
