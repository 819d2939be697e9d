// Every admin page at a phone's width and at a desktop's, in Korean and English: nothing wider than the screen
// (a table too wide scrolls inside its own box, not the page). An operator on a phone found the new-campaign
// form 1,150 px wide and the sites, slots, intake and pickups pages 460-660 px.
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { shootPage } from '../helpers/browserJourney.js';
import { signInWithForm, staffBrowserContext } from '../helpers/browserSession.js';
import { browserSuite } from '../helpers/chromium.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';
import { putHappyPharmacies } from '../helpers/intake.js';

const suite = browserSuite(
  'test/browser/admin-pages.test.ts',
  'The admin pages at 375 px and at desktop width',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
const paths: string[] = [];

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  const admin = await app.staff('admin');
  await putHappyPharmacies(app, admin);
  const create = async (body: Record<string, unknown>) => {
    const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
    if (res.status !== 201) throw new Error(res.text);
    return res.json.campaign.id as string;
  };
  const voucher = await create(
    buildVoucherCampaign(app.clock.now(), {
      title_ko: '서울사랑상품권 12월 추첨 (1인당 최대 25만 원)',
      title_en: 'Seoul Love vouchers, December draw (up to KRW 250,000 a person)',
      groups: [
        { name: 'disabled', name_ko: '장애인', name_en: 'People with disabilities', reserved: 0, weight: 2 },
      ],
    }),
  );
  const goods = await create(buildGoodsCampaign(app.clock.now(), ['PH-A', 'PH-B']));
  const sale = await create(
    buildVoucherCampaign(app.clock.now(), { mode: 'instant', total: 100 * 10_000, per_person_max: 20_000 }),
  );
  paths.push(
    '/admin',
    '/admin/campaigns/new',
    `/admin/campaigns/${voucher}`,
    `/admin/campaigns/${voucher}/edit`,
    `/admin/campaigns/${voucher}/intake`,
    `/admin/campaigns/${voucher}/groups`,
    `/admin/campaigns/${voucher}/messages`,
    `/admin/campaigns/${voucher}/payments`,
    `/admin/campaigns/${voucher}/draw`,
    `/admin/campaigns/${goods}`,
    `/admin/campaigns/${goods}/slots`,
    `/admin/campaigns/${goods}/slots/import`,
    `/admin/campaigns/${goods}/pickups`,
    `/admin/campaigns/${sale}`,
    `/admin/campaigns/${sale}/waiting-room`,
    '/admin/sites',
    '/admin/sites/PH-A/edit',
    '/admin/sites/PH-A/staff',
    '/admin/sites/import',
    '/admin/proxies',
    '/admin/identities/flags',
    '/admin/audit',
  );
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

browserTest(
  'no admin page is wider than the screen, at 375 px or at 1280, in Korean or English',
  async (t) => {
    t.timeout(180_000);
    const session = await signInWithForm(app, 'admin');
    const wide: string[] = [];
    // and every one has the admin menu, the way to the others
    const unnavigable: string[] = [];
    for (const width of [375, 1280]) {
      const context = await staffBrowserContext(browser!, app, session, 'ko-KR', width);
      const page = await context.newPage();
      for (const lang of ['ko', 'en'] as const) {
        for (const path of paths) {
          const res = await page.goto(`${app.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          t.is(res?.status(), 200, path);
          if ((await page.locator('#admin-nav').count()) !== 1) unnavigable.push(`${path} (${lang})`);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > width) wide.push(`${path} (${lang}) at ${width}: ${scroll} px`);
          const shot = path
            .replace(/[0-9a-f-]{36}/, 'c')
            .replace(/\W+/g, '-')
            .replace(/^-|-$/g, '');
          await shootPage(page, `admin-${shot}-${lang}-${width}`);
        }
      }
      await context.close();
    }
    t.deepEqual(wide, []);
  },
);

browserTest("the new-campaign form's group table shows each group's check as words", async (t) => {
  const context = await staffBrowserContext(browser!, app, await signInWithForm(app, 'admin'), 'ko-KR', 1280);
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/campaigns/new`);
  const select = page.locator('select[name="group_0_check"]');
  t.true((await select.boundingBox())!.width >= 150, 'wide enough to read its choice');
  await context.close();
});
