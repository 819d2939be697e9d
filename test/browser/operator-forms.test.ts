// The operator's forms in a browser, at 375 px and at 1280, in Korean and English: the campaign form stops asking
// for what only a draw has once the instant mode is chosen (CSS alone, no script), and shows it again for a lottery
// (and a draw's field a sale was refused for, with its fault);
// the beacon form checks a value and shows it to confirm before anything is recorded.
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { type CookieSession, signInWithForm, staffBrowserContext } from '../helpers/browserSession.js';
import { browserSuite } from '../helpers/chromium.js';
import { closedLottery, type Scenario } from '../helpers/draw.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

const suite = browserSuite(
  'test/browser/operator-forms.test.ts',
  "The operator forms' behaviour in a browser",
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let admin: CookieSession;
let sale: string;
let lottery: Scenario;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  const apiAdmin = await app.staff('admin');
  const body = buildVoucherCampaign(app.clock.now(), {
    mode: 'instant',
    title_ko: '서울사랑상품권 12월 선착순 판매',
    title_en: 'Seoul Love vouchers, December first-come sale',
    total: 100 * 10_000,
    per_person_max: 20_000,
  });
  const res = await app.request('POST', '/api/admin/campaigns', { as: apiAdmin, json: body });
  if (res.status !== 201) throw new Error(res.text);
  sale = res.json.campaign.id;
  // a lottery past its close, its beacon due (the clock moves two days: the staff session is signed in after)
  lottery = await closedLottery(app.db, app.clock);
  admin = await signInWithForm(app, 'admin');
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

const WIDTHS = [375, 1280] as const;
const LANGS = ['ko', 'en'] as const;

async function pageAt(width: number): Promise<Page> {
  const context = await staffBrowserContext(browser!, app, admin, 'ko-KR', width);
  return context.newPage();
}

/** Whether each of the draw's fields (and the sale's note) takes room on the page. */
async function shown(page: Page) {
  const visible = (selector: string) => page.locator(selector).isVisible();
  return {
    draw_at: await visible('#f-draw_at'),
    claim_opens_at: await visible('#f-claim_opens_at'),
    claim_closes_at: await visible('#f-claim_closes_at'),
    claim_period_hours: await visible('#f-claim_period_hours'),
    partial: await visible('#f-partial'),
    unclaimed_policy: await visible('#f-unclaimed_policy'),
    note: await visible('#instant-schedule-note'),
  };
}

const LOTTERY = {
  draw_at: true,
  claim_opens_at: true,
  claim_closes_at: true,
  claim_period_hours: true,
  partial: true,
  unclaimed_policy: true,
  note: false,
};
const INSTANT = Object.fromEntries(Object.entries(LOTTERY).map(([k, v]) => [k, !v]));

browserTest('the campaign form hides what only a draw has once the instant mode is chosen', async (t) => {
  t.timeout(120_000);
  for (const width of WIDTHS) {
    const page = await pageAt(width);
    await page.context().route('**/*.js', (route) => route.abort()); // no script: CSS alone does it
    for (const lang of LANGS) {
      await page.goto(`${app.url}/admin/campaigns/new?lang=${lang}`);
      t.deepEqual(await shown(page), LOTTERY, `a lottery asks for them (${lang}, ${width})`);
      await page.selectOption('#f-mode', 'instant');
      t.deepEqual(await shown(page), INSTANT, `a sale does not (${lang}, ${width})`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      t.true(scroll <= width, `${scroll} px wide at ${width}`);
      await page.locator('#instant-schedule-note').scrollIntoViewIfNeeded();
      await shootPage(page, `form-new-instant-${lang}-${width}`);
      await page.selectOption('#f-mode', 'reservation');
      t.deepEqual(await shown(page), LOTTERY, `a reservation asks again (${lang}, ${width})`);
      await shootPage(page, `form-new-reservation-${lang}-${width}`);

      // an instant sale's own edit page opens without them
      await page.goto(`${app.url}/admin/campaigns/${sale}/edit?lang=${lang}`);
      t.deepEqual(await shown(page), INSTANT, `the sale's edit page (${lang}, ${width})`);
      if (width === 1280) await checkPage(t, page, `the sale's edit page (${lang})`);
      await shootPage(page, `form-edit-instant-${lang}-${width}`);
    }
    await page.context().close();
  }
});

browserTest(
  "a lottery's draw time left in when the form is switched to a sale is refused in view, to be cleared",
  async (t) => {
    t.timeout(60_000);
    const page = await pageAt(375);
    await page.context().route('**/*.js', (route) => route.abort()); // CSS alone
    await page.goto(`${app.url}/admin/campaigns/new`);
    const fill: Record<string, string> = {
      code: 'SWAPPED1',
      title_ko: '바뀐 판매',
      title_en: 'Switched sale',
      opens_at: '2026-12-02T09:00',
      closes_at: '2026-12-02T18:00',
      draw_at: '2026-12-02T19:00',
      total: '1000000',
      denomination: '10000',
      per_person_max: '20000',
    };
    for (const [k, v] of Object.entries(fill)) await page.fill(`#f-${k}`, v);
    await page.selectOption('#f-mode', 'instant');
    t.false(await page.locator('#f-draw_at').isVisible(), 'hidden once the sale is chosen, and still sent');
    await page.locator('form[novalidate] button[type=submit].primary').click();
    await page.waitForSelector('#error-summary');
    // the refused field is in view under the sale with its fault; the draw's others stay out of the way
    t.true(await page.locator('#f-draw_at').isVisible());
    t.regex((await page.locator('#f-draw_at-error').textContent()) ?? '', /즉시 구매라면 비워 두세요/);
    t.false(await page.locator('#f-claim_period_hours').isVisible());
    t.false(await page.locator('#f-partial').isVisible());
    await checkPage(t, page, 'the form refusing a draw time for a sale');
    await shootPage(page, 'form-instant-refused-draw-at-ko-375');
    await page.fill('#f-draw_at', '');
    await page.locator('form[novalidate] button[type=submit].primary').click();
    await page.waitForURL(/\/admin\/campaigns\/[0-9a-f-]{36}\?saved=1/);
    t.is((await app.db('campaigns').where({ code: 'SWAPPED1' }).first()).mode, 'instant');
    await page.context().close();
  },
);

browserTest(
  'the beacon form says what to enter, and records a value only once it is shown and confirmed',
  async (t) => {
    t.timeout(120_000);
    const randomness = '5eed'.repeat(16);
    const beacon = async () =>
      (await app.db('draws').where({ campaign_id: lottery.campaignId }).first()).beacon;
    for (const width of WIDTHS) {
      const page = await pageAt(width);
      for (const lang of LANGS) {
        const draw = `${app.url}/admin/campaigns/${lottery.campaignId}/draw?lang=${lang}`;
        await page.goto(draw);
        t.regex(
          (await page.locator('#beacon-source-note').textContent()) ?? '',
          lang === 'ko' ? /한국 표준시 기준 / : /in Korean Standard Time/,
        );
        if (width === 1280) await checkPage(t, page, `the draw page (${lang})`);
        await shootPage(page, `beacon-form-${lang}-${width}`);
        // a value of another kind: refused on the field, kept
        await page.locator('#beacon').fill(`round 4200: ${randomness}`);
        await page.locator('#beacon-record button[type="submit"]').click();
        t.true(await page.locator('#beacon-error').isVisible());
        await page.locator('#beacon-error').scrollIntoViewIfNeeded();
        await shootPage(page, `beacon-refused-${lang}-${width}`);
        // the right kind: shown as it would be recorded, nothing recorded yet
        await page.locator('#beacon').fill(randomness.toUpperCase());
        await page.locator('#beacon-record button[type="submit"]').click();
        t.is(await page.locator('#beacon-to-record').textContent(), randomness);
        t.is(await beacon(), null, `not recorded by the check (${lang}, ${width})`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        t.true(scroll <= width, `the confirm page is ${scroll} px wide at ${width}`);
        if (width === 1280) await checkPage(t, page, `the beacon's confirm step (${lang})`);
        await page.locator('#beacon-record').scrollIntoViewIfNeeded();
        await shootPage(page, `beacon-confirm-${lang}-${width}`);
        // "change it" brings the value back to the form
        await page.locator('#beacon-record a.button').click();
        t.is(await page.locator('#beacon').inputValue(), randomness.toUpperCase());
      }
      await page.context().close();
    }
    const page = await pageAt(1280);
    await page.goto(`${app.url}/admin/campaigns/${lottery.campaignId}/draw`);
    await page.locator('#beacon').fill(randomness);
    await page.locator('#beacon-record button[type="submit"]').click();
    await page.locator('#beacon-confirm').click();
    t.is(await beacon(), randomness);
    t.regex((await page.locator('.notice').textContent()) ?? '', /비컨 값을 기록했습니다/);
    t.is(await page.locator('#beacon-record').count(), 0, 'once recorded, no form');
    await shootPage(page, 'beacon-recorded-ko-1280');
    await page.context().close();
  },
);
