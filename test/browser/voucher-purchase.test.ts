// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// A voucher winner pays in a browser, in Korean: their page shows the price, "pay" goes to the development
// checkout, the payment is confirmed on the way back, and once issued the vouchers are on their page.
// axe-core on every page. SCREENSHOT_DIR=dir writes each page at 375 px and 1280 px wide (Korean, and English).
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { RESIDENT_COOKIE } from '../../src/identity/residentSession.js';
import { checkPage, shootAtWidths } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { type PaymentWorld, paymentWorld } from '../helpers/payments.js';

const test = anyTest as TestFn<{ browser: Browser }>;
const suite = browserSuite('test/browser/voucher-purchase.test.ts', 'The voucher purchase pages');
const shoot = (page: Page, name: string) => shootAtWidths(page, name, { width: 390, height: 844 });

if (suite.available) {
  let w: PaymentWorld;
  test.before(async (t) => {
    t.context.browser = await suite.launch();
    w = await paymentWorld();
  });
  test.after.always(async (t) => {
    await t.context.browser?.close();
    await w?.close();
  });

  test.serial('a voucher winner pays through the development checkout and sees their vouchers', async (t) => {
    const winner = w.winners[0]!;
    const context = await t.context.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'ko-KR',
    });
    await context.addCookies([
      { name: RESIDENT_COOKIE, value: winner.headers['x-resident-token']!, url: w.app.url },
    ]);
    const page = await context.newPage();
    const mine = `${w.app.url}/campaigns/${w.campaignId}/application`;
    await page.goto(mine);
    t.is(await page.locator('#purchase-title').innerText(), '상품권 구매');
    const price = (winner.amount * 0.9).toLocaleString('ko-KR');
    t.is(await page.locator('#purchase-price').innerText(), `${price}원`);
    await checkPage(t, page, 'the winner page with the pay button');
    await shoot(page, 'voucher-pay');

    await page.locator('#pay-button').click();
    await page.waitForURL(/\/dev\/checkout\//);
    t.is(await page.locator('#checkout-amount').innerText(), `${price}원`);
    await checkPage(t, page, 'the development checkout');
    await shoot(page, 'voucher-checkout');

    await page.locator('#checkout-pay').click();
    await page.waitForURL(/\/application\?pay=paid/);
    t.is(await page.locator('#order-state').innerText(), '결제 완료');
    await checkPage(t, page, 'the winner page once paid');
    await shoot(page, 'voucher-paid');

    t.is(await w.runJobs(), 1); // the issue job, as the worker runs it
    await page.goto(mine);
    t.is(await page.locator('#purchase-title').innerText(), '내 상품권');
    const numbers = await page.locator('#vouchers .voucher-number').allInnerTexts();
    t.is(numbers.length, winner.amount / 10_000);
    const stored = await w.app.db('vouchers').orderBy('seq').pluck('number');
    t.deepEqual(numbers, stored);
    await checkPage(t, page, 'the winner page with the vouchers');
    await shoot(page, 'voucher-issued');
    await page.goto(`${mine}?lang=en`);
    t.is(await page.locator('#purchase-title').innerText(), 'Your vouchers');
    await checkPage(t, page, 'the vouchers in English');
    await shoot(page, 'voucher-issued-en');
    await context.close();
  });

  test.serial('admin sees the payments of the campaign and downloads the accounting CSV', async (t) => {
    const admin = await w.app.staff('admin');
    const context = await t.context.browser.newContext({ locale: 'ko-KR' });
    await context.setExtraHTTPHeaders(admin.headers);
    const page = await context.newPage();
    await page.goto(`${w.app.url}/admin/campaigns/${w.campaignId}/payments`);
    t.regex(await page.locator('#vouchers-issued').innerText(), /^\d+$/);
    await checkPage(t, page, 'the admin payments page');
    await shoot(page, 'voucher-admin');
    const csv = await w.app.request('GET', `/api/admin/campaigns/${w.campaignId}/orders.csv`, { as: admin });
    t.is(csv.status, 200);
    const [header, ...rows] = csv.text.trim().split('\r\n');
    t.true(header!.startsWith('order_id,public_id,purpose,state,face_value,amount,paid_amount'));
    t.true(rows.length >= 1);
    t.false(/@|010-|\+82/.test(csv.text), 'no contact details in the export');
    await context.close();
  });
} else {
  test('voucher purchase pages (Chromium missing: not run)', (t) => t.pass());
}
