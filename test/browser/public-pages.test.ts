// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// The resident pages in a real browser (headless Chromium): Korean and English, axe-core checks,
// the countdown ticking with JavaScript and still there without it, on a phone-sized screen.
import { AxeBuilder } from '@axe-core/playwright';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { AXE_IN_PAGE, shootPage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';
import { putHappyPharmacies } from '../helpers/intake.js';

const suite = browserSuite(
  'test/browser/public-pages.test.ts',
  'The public pages in a browser and with axe-core',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

const PHONE = { width: 390, height: 844 };

let app: TestApp;
let browser: Browser | undefined;
let openId: string;
let goodsId: string;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp(); // 2026-12-01 00:00 KST
  const admin = await app.staff('admin');
  await putHappyPharmacies(app, admin);
  const create = async (body: Record<string, unknown>, state: 'scheduled' | 'open') => {
    const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
    if (res.status !== 201) throw new Error(res.text);
    const id = res.json.campaign.id as string;
    await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
    if (state === 'open') await app.db('campaigns').where({ id }).update({ state: 'open' });
    return id;
  };
  openId = await create(
    buildVoucherCampaign(app.clock.now(), {
      title_ko: '서울사랑상품권 1차 추첨',
      title_en: 'Seoul Love vouchers, first draw',
      description_ko: '1인당 최대 25만 원까지 신청할 수 있습니다. 신청 순서는 결과에 영향을 주지 않습니다.',
      description_en: 'Apply for up to KRW 250,000. The order of applications does not affect the result.',
      opens_at: '2026-11-30T09:00',
      closes_at: '2026-12-01T18:00',
      draw_at: '2026-12-01T20:00',
      claim_opens_at: '2026-12-02T09:00',
      claim_closes_at: '2026-12-31T18:00',
      eligibility: { regions: ['서울특별시'], min_age: 19, birth_year_rotation: false },
    }),
    'open',
  );
  goodsId = await create(
    buildGoodsCampaign(app.clock.now(), ['PH-A', 'PH-B'], {
      title_ko: '공적 마스크 예약',
      title_en: 'Public mask reservations',
    }),
    'scheduled',
  );
  browser = await suite.launch();
});

test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

async function newPage(javaScriptEnabled = true): Promise<Page> {
  const context = await browser!.newContext({
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    locale: 'ko-KR',
    timezoneId: 'America/Los_Angeles', // the page must not depend on the phone's zone
  });
  return context.newPage();
}

async function checkAxe(t: ExecutionContext, page: Page, what: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .setLegacyMode(AXE_IN_PAGE)
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    console.log(
      `axe violations on ${what}:\n` +
        bad
          .map(
            (v) =>
              `- [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
          )
          .join('\n'),
    );
  }
  t.deepEqual(
    bad.map((v) => v.id),
    [],
    `serious or critical accessibility problems on ${what}`,
  );
  // Anything milder is printed so it gets looked at, but does not fail the build.
  for (const v of result.violations.filter((v) => !bad.includes(v)))
    t.log(`axe (${v.impact}) ${v.id} on ${what}: ${v.help}`);
}

const LANGS = [
  {
    lang: 'ko',
    listHeading: '신청 안내',
    openTitle: '서울사랑상품권 1차 추첨',
    goodsTitle: '공적 마스크 예약',
    closesIn: '신청 마감까지 남은 시간',
    opensIn: '신청 시작까지 남은 시간',
    apply: '신청하기',
    remaining: '18시간 0분 0초',
    zone: '2026-12-01 (화) 18:00 한국 표준시 (GMT+9)',
  },
  {
    lang: 'en',
    listHeading: 'Campaigns',
    openTitle: 'Seoul Love vouchers, first draw',
    goodsTitle: 'Public mask reservations',
    closesIn: 'Applications close in',
    opensIn: 'Applications open in',
    apply: 'Apply',
    remaining: '18 hours 0 minutes 0 seconds',
    zone: '2026-12-01 (Tue) 18:00 Korean Standard Time (GMT+9)',
  },
] as const;

for (const L of LANGS) {
  browserTest(`campaign list in ${L.lang}: heading, lang, content, countdown, axe`, async (t) => {
    const page = await newPage();
    await page.goto(`${app.url}/campaigns?lang=${L.lang}`);
    t.is(await page.getAttribute('html', 'lang'), L.lang);
    t.is((await page.locator('h1').innerText()).trim(), L.listHeading);
    t.true(await page.getByRole('link', { name: L.openTitle, exact: true }).isVisible());
    t.true(await page.getByRole('link', { name: L.goodsTitle, exact: true }).isVisible());
    const first = page.locator('.card').filter({ hasText: L.openTitle });
    t.regex(await first.locator('.countdown-label').innerText(), new RegExp(L.closesIn));
    t.regex(await first.locator('.countdown-at').innerText(), new RegExp(L.zone.replace(/[()+]/g, '\\$&')));
    await checkAxe(t, page, `/campaigns (${L.lang})`);
    await shootPage(page, `public-campaigns-${L.lang}`);
    await page.context().close();
  });

  browserTest(`campaign page in ${L.lang}: heading, Apply link, countdown ticking, axe`, async (t) => {
    const page = await newPage();
    await page.goto(`${app.url}/campaigns/${openId}?lang=${L.lang}`);
    t.is(await page.getAttribute('html', 'lang'), L.lang);
    t.is((await page.locator('h1').innerText()).trim(), L.openTitle);
    const apply = page.getByRole('link', { name: L.apply });
    t.is(await apply.getAttribute('href'), `/campaigns/${openId}/apply`);
    const remaining = page.locator('.countdown-remaining');
    // The server wrote the time left by its own clock; the script then ticks it down.
    await page.waitForFunction(
      (start) => document.querySelector('.countdown-remaining')?.textContent !== start,
      L.remaining,
      { timeout: 5000 },
    );
    t.not(await remaining.innerText(), L.remaining);
    t.regex(
      await remaining.innerText(),
      L.lang === 'ko' ? /^17시간 59분 5\d초$/ : /^17 hours 59 minutes 5\d seconds$/,
    );
    await checkAxe(t, page, `/campaigns/:id (${L.lang})`);
    await shootPage(page, `public-campaign-${L.lang}`);

    await page.goto(`${app.url}/campaigns/${goodsId}?lang=${L.lang}`);
    t.is((await page.locator('h1').innerText()).trim(), L.goodsTitle);
    t.regex(await page.locator('.countdown-label').innerText(), new RegExp(L.opensIn));
    t.is(await page.getByRole('link', { name: L.apply }).count(), 0);
    t.true(await page.getByRole('heading', { name: /PH-A/ }).isVisible());
    await checkAxe(t, page, `/campaigns/:id goods (${L.lang})`);
    await shootPage(page, `public-campaign-goods-${L.lang}`);
    await page.context().close();
  });
}

browserTest('without JavaScript the pages still show everything, with the countdown as served', async (t) => {
  const page = await newPage(false);
  await page.goto(`${app.url}/campaigns`);
  t.is((await page.locator('h1').innerText()).trim(), '신청 안내');
  t.true(await page.getByRole('link', { name: '서울사랑상품권 1차 추첨', exact: true }).isVisible());
  await page.getByRole('link', { name: '서울사랑상품권 1차 추첨', exact: true }).click();
  await page.waitForURL(`**/campaigns/${openId}`);
  t.is(await page.locator('.countdown-remaining').innerText(), '18시간 0분 0초');
  await new Promise((r) => setTimeout(r, 1200));
  t.is(await page.locator('.countdown-remaining').innerText(), '18시간 0분 0초'); // nothing ticks
  t.true(await page.getByRole('link', { name: '신청하기' }).isVisible());
  // The language switch is a plain link and is remembered.
  await page.getByRole('link', { name: 'English' }).click();
  t.is(await page.getAttribute('html', 'lang'), 'en');
  t.is((await page.locator('h1').innerText()).trim(), 'Seoul Love vouchers, first draw');
  await page.goto(`${app.url}/campaigns`);
  t.is(await page.getAttribute('html', 'lang'), 'en');
  await page.context().close();
});

browserTest('the skip link is the first stop for the keyboard and shows when focused', async (t) => {
  const page = await newPage();
  await page.goto(`${app.url}/campaigns/${openId}`);
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  t.is(await focused.getAttribute('href'), '#main');
  const box = await focused.boundingBox();
  t.truthy(box && box.y >= 0, 'the skip link is on screen when focused');
  await page.context().close();
});
