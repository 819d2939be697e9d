// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// The instant sale in a browser, without JavaScript: the campaign page leads to the queue, the pre-queue page
// shows the commitment and refreshes itself, at one's turn the buy form goes to the development checkout, and
// back on the queue page the purchase is paid, and its vouchers are shown once issued; a cancelled sale says so;
// the admin sets the waiting room's rules.
// axe-core on each page (in a second, JavaScript-enabled context where the page is seen without).
// SCREENSHOT_DIR=dir writes each page at 375 px and 1280 px wide, in Korean and English.
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, BrowserContext } from 'playwright-core';
import { checkPage, shootAtWidths } from '../helpers/browserJourney.js';
import { signInWithForm, staffBrowserContext } from '../helpers/browserSession.js';
import { browserSuite } from '../helpers/chromium.js';
import { type Buyer, buyers, instantWorld, openSale, scheduledSale, turnToBuy } from '../helpers/instant.js';

const test = anyTest as TestFn<{ browser: Browser }>;
const suite = browserSuite('test/browser/instant-queue.test.ts', 'The instant-sale queue pages');
if (suite.available) {
  test.before(async (t) => {
    t.context.browser = await suite.launch();
  });
  test.after.always(async (t) => {
    await t.context.browser?.close();
  });
}
const browserTest = suite.available ? test.serial : test.skip;

/** A browser context signed in as `who` (its session cookie on the app's host); JavaScript on unless said. */
async function signedIn(browser: Browser, app: { url: string }, who: Buyer, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'ko-KR' });
  const domain = new URL(app.url).hostname;
  await context.addCookies([
    { name: 'resident_session', value: who.headers['x-resident-token']!, domain, path: '/' },
  ]);
  return context;
}

/** axe-core on `url` as `who` sees it, in a context of its own with JavaScript (axe needs it). */
async function checkWithJavaScript(
  t: ExecutionContext<{ browser: Browser }>,
  app: { url: string },
  who: Buyer,
  url: string,
  what: string,
) {
  const context = await signedIn(t.context.browser, app, who);
  const axe = await context.newPage();
  await axe.goto(url);
  await checkPage(t, axe, what);
  await context.close();
}

/**
 * With JavaScript, the turn's time left ticks as minutes:seconds from the service's clock, and a screen reader is
 * told it in words only at each 30-second step and when it is up, not every second (the page's clock is faked).
 */
async function turnTicks(t: ExecutionContext<{ browser: Browser }>, context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.clock.install();
  // paused: an installed clock still moves with real time, and on a loaded machine a whole second once passed
  // between two reads; the clock is the context's, so it runs again at the end for the pages that follow
  await page.clock.pauseAt(Date.now() + 1000);
  await page.goto(url);
  const box = page.locator('#turn-timer');
  const ms =
    Date.parse((await box.getAttribute('data-turn-ends'))!) -
    Date.parse((await box.getAttribute('data-now'))!);
  const left = Math.ceil(ms / 1000);
  const figure = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const shown = page.locator('#turn-left');
  const said = page.locator('#turn-said');
  t.true(await box.isVisible());
  t.is(await shown.innerText(), figure(left));
  t.is(await shown.getAttribute('role'), 'timer');
  t.is(await said.getAttribute('aria-live'), 'polite');
  await page.clock.runFor(1100); // the figure turns just after each whole second
  t.is(await shown.innerText(), figure(left - 1), 'a second later, a second less');
  t.is(await said.textContent(), '', 'nothing said each second');
  await shootAtWidths(page, 'queue-turn-ticking-ko');
  const step = Math.floor((left - 2) / 30) * 30; // the next 30-second step ahead
  await page.clock.runFor((left - 1 - step) * 1000);
  t.is(await shown.innerText(), figure(step));
  const words = [Math.floor(step / 60) && `${Math.floor(step / 60)}분`, step % 60 && `${step % 60}초`];
  const told = `구매 남은 시간 ${words.filter(Boolean).join(' ')}`;
  t.is(await said.textContent(), told);
  await page.clock.runFor(10_000);
  t.is(await said.textContent(), told, 'not again until the next step');
  await page.clock.runFor(step * 1000);
  t.is(await shown.innerText(), '0:00');
  t.is(await said.textContent(), '구매 시간이 지났습니다. 화면을 새로 고쳐 주세요.');
  await page.clock.resume();
  await page.close();
}

browserTest('a resident queues, buys at their turn, pays, and then sees their vouchers', async (t) => {
  t.timeout(180_000);
  const { app, tick, issue } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 20 });
  await tick();
  const [me] = await buyers(app, 1);
  const page = await (await signedIn(t.context.browser, app, me!, false)).newPage();
  const axeContext = await signedIn(t.context.browser, app, me!);
  // A new page each check: a queue page left open refreshes itself, and its own navigation aborted the next goto.
  const check = async (what: string) => {
    const axe = await axeContext.newPage();
    await axe.goto(page.url());
    await checkPage(t, axe, what);
    await axe.close();
  };

  await page.goto(`${app.url}/campaigns/${c.id}`);
  await page.click(`a[href="/campaigns/${c.id}/queue"]`);
  t.regex(await page.locator('h1').innerText(), /구매 대기열/);
  await check('queue page before joining');
  await shootAtWidths(page, 'queue-join-ko');
  await page.getByRole('button', { name: '대기열에 들어가기' }).click();
  t.regex(await page.locator('.notice').innerText(), /판매 시작 전 대기열/);
  t.true(await page.getByRole('link', { name: '새로 고침' }).isVisible());
  await check('pre-queue page');
  await shootAtWidths(page, 'queue-pre-ko');
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=en`);
  await shootAtWidths(page, 'queue-pre-en');

  await openSale(app, c.id);
  await tick();
  const others = await buyers(app, 3);
  for (const o of others) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: o.headers });
  await tick();
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=en`);
  await shootAtWidths(page, 'queue-waiting-or-turn-en');
  app.clock.advance(5000);
  await tick();
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=ko`);
  t.regex(await page.locator('h2').innerText(), /구매 차례/);
  // without JavaScript: the clock time to buy by, and no figure that would stand still
  t.regex(await page.locator('main').innerText(), /이 시각까지 구매를 마치세요: \d{4}-\d{2}-\d{2}/);
  t.false(await page.locator('#turn-timer').isVisible());
  await check('your turn');
  await shootAtWidths(page, 'queue-turn-ko');
  await turnTicks(t, axeContext, page.url());
  // each choice says what it costs at the sale's 10 % discount, before the checkout does
  t.is(await page.locator('#quantity option[value="20000"]').innerText(), '20,000원 · 결제 18,000원');
  await page.selectOption('#quantity', '20000');
  await page.getByRole('button', { name: '구매하고 결제하기' }).click();
  t.regex(page.url(), /\/dev\/checkout\//);
  await shootAtWidths(page, 'queue-checkout-ko');
  await page.locator('#checkout-pay').click();
  await tick();
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=ko`);
  t.regex(await page.locator('h2').innerText(), /결제를 마쳤습니다/);
  t.regex(await page.locator('#order-state').innerText(), /결제 완료|상품권 발급/);
  await check('purchase paid');
  await shootAtWidths(page, 'queue-paid-ko');
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=en`);
  await shootAtWidths(page, 'queue-paid-en');

  // The payments worker issues the vouchers: the place shows them, as a lottery winner's page does.
  const { order_id } = await app.db('instant_purchases').where({ identity_id: me!.identity_id }).first();
  t.is(await issue(order_id), 'issued');
  const numbers: string[] = await app.db('vouchers').where({ order_id }).orderBy('seq').pluck('number');
  t.is(numbers.length, 2);
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=ko`);
  t.regex(await page.locator('#order-state').innerText(), /상품권 발급 완료/);
  t.regex(await page.locator('h3').innerText(), /발급된 상품권/);
  t.deepEqual(await page.locator('#vouchers .voucher-number').allInnerTexts(), numbers);
  t.regex(await page.locator('#vouchers thead').innerText(), /상품권 번호\s+액면\s+유효기간/);
  t.regex(await page.locator('#vouchers tbody tr').first().innerText(), /10,000원\s+\d{4}-\d{2}-\d{2}/);
  await check('vouchers issued');
  await shootAtWidths(page, 'queue-issued-ko');
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=en`);
  t.regex(await page.locator('h3').innerText(), /Your vouchers/);
  t.deepEqual(await page.locator('#vouchers .voucher-number').allInnerTexts(), numbers);
  t.regex(await page.locator('#vouchers thead').innerText(), /Voucher number\s+Face value\s+Valid until/);
  t.regex(await page.locator('#vouchers tbody tr').first().innerText(), /KRW 10,000\s+\d{4}-\d{2}-\d{2}/);
  await shootAtWidths(page, 'queue-issued-en');
});

browserTest('a resident held back by stock is told why, not a wait in seconds', async (t) => {
  t.timeout(120_000);
  const { app, tick } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 1 });
  await tick();
  const people = await buyers(app, 3);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  await openSale(app, c.id);
  await tick(); // one unit: one let in, two held back
  const last = await app.db('instant_queue').where({ campaign_id: c.id }).orderBy('rank', 'desc').first();
  const me = people.find((p) => p.identity_id === last.identity_id)!;
  const page = await (await signedIn(t.context.browser, app, me, false)).newPage();
  await page.goto(`${app.url}/campaigns/${c.id}/queue`);
  t.regex(await page.locator('h2').innerText(), /기다리는 중/);
  t.regex(await page.locator('#queue-held-back').innerText(), /물량이 돌아오면 줄 선 순서대로 차례가 옵니다/);
  t.is(await page.locator('#queue-wait-n').count(), 0);
  await shootAtWidths(page, 'queue-held-back-ko');
  await checkWithJavaScript(t, app, me, page.url(), 'waiting, held back by stock');
  await page.goto(`${app.url}/campaigns/${c.id}/queue?lang=en`);
  t.regex(await page.locator('#queue-held-back').innerText(), /If some comes back/);
  await shootAtWidths(page, 'queue-held-back-en');
});

browserTest(
  'with JavaScript, a pre-queue page turns at the shuffle: its look is held until then',
  async (t) => {
    t.timeout(120_000);
    const { app, tick } = await instantWorld();
    t.teardown(() => app.close());
    const c = await scheduledSale(app, { units: 5 });
    await tick();
    const [me] = await buyers(app, 1);
    await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: me!.headers });
    await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '2 seconds' WHERE id = ?`, [c.id]);
    const page = await (await signedIn(t.context.browser, app, me!)).newPage();
    const held = page.waitForRequest((r) => r.url().endsWith(`/api/campaigns/${c.id}/queue`), {
      timeout: 10_000,
    });
    await page.goto(`${app.url}/campaigns/${c.id}/queue`);
    t.regex(await page.locator('.notice').innerText(), /판매 시작 전 대기열/);
    t.is((await held).headers().prefer, 'wait=25', 'the page asks to wait');
    await new Promise((r) => setTimeout(r, 3000)); // past the opening, no shuffle yet: the look is still held
    t.regex(await page.locator('.notice').innerText(), /판매 시작 전 대기열/);
    await openSale(app, c.id);
    await tick(); // the shuffle, admitting this place
    const shuffled = Date.now();
    await page.waitForSelector('h2:has-text("구매 차례")', { timeout: 5000 });
    t.true(Date.now() - shuffled < 1500, `turned ${Date.now() - shuffled} ms after the shuffle`);
  },
);

browserTest('a resident whose unpaid purchase went with a cancelled sale is told so', async (t) => {
  t.timeout(120_000);
  const w = await instantWorld();
  const { app, tick } = w;
  t.teardown(() => app.close());
  const sale = await turnToBuy(w, 5, 'cancelled-1');
  const bought = await app.request('POST', `/api/campaigns/${sale.campaignId}/purchases`, {
    headers: sale.headers,
    json: sale.input,
  });
  t.is(bought.status, 201, bought.text);
  const adminContext = await staffBrowserContext(t.context.browser, app, await signInWithForm(app, 'admin'));
  const adminPage = await adminContext.newPage();
  // The cancel is a form of its own, closed until opened: what happens to a sale's buyers, the word to residents.
  await adminPage.goto(`${app.url}/admin/campaigns/${sale.campaignId}?lang=en`);
  await adminPage.locator('#cancel-box summary').click();
  await shootAtWidths(adminPage, 'admin-instant-cancel-en');
  await adminPage.goto(`${app.url}/admin/campaigns/${sale.campaignId}?lang=ko`);
  t.false(await adminPage.locator('#cancel-box .hint').first().isVisible(), 'closed until opened');
  await shootAtWidths(adminPage, 'admin-instant-cancel-closed-ko');
  await adminPage.locator('#cancel-box summary').click();
  t.regex(await adminPage.locator('#cancel-box .hint').first().innerText(), /즉시 구매 판매를 취소하면/);
  const message = '판매처 전산 장애로 취소합니다. 새 판매 일정은 문자로 알려 드립니다.';
  await adminPage.getByLabel('주민 안내 문구, 한국어 (선택)').fill(message);
  await adminPage.getByRole('button', { name: '사업 취소 확정' }).click();
  // the box not ticked: refused, the message kept
  t.regex(await adminPage.locator('#cancel-box .field-error').innerText(), /확인란에 표시해 주세요/);
  t.is(await adminPage.getByLabel('주민 안내 문구, 한국어 (선택)').inputValue(), message);
  await shootAtWidths(adminPage, 'admin-instant-cancel-refused-ko');
  await adminPage.getByLabel('주민 안내 문구, 영어 (선택)').fill("Cancelled: the sellers' systems failed.");
  await adminPage.getByLabel('되돌릴 수 없다는 것을 확인했습니다').check();
  await adminPage.getByRole('button', { name: '사업 취소 확정' }).click();
  t.regex(await adminPage.locator('.notice').innerText(), /사업을 취소했습니다/);
  t.regex(await adminPage.locator('#cancel-message').innerText(), /한국어: 판매처 전산 장애로 취소합니다/);
  t.regex(
    await adminPage.locator('#cancel-message').innerText(),
    /영어: Cancelled: the sellers' systems failed\./,
  );
  await shootAtWidths(adminPage, 'admin-instant-cancelled-ko');
  // a sale in its own terms: no draw time, collection window or waitlist policy; its queue's rules linked
  t.is(await adminPage.locator('#waiting-room-link').count(), 1);
  t.notRegex(await adminPage.locator('main').innerText(), /추첨 일시|수령 기간|미수령분 처리/);
  await adminContext.close();
  app.deps.intake.rules.forget(sale.campaignId); // the pages' campaign as cancelled now, not up to 1 s later
  await tick(); // the pass ends the unpaid hold
  const me = { identity_id: sale.identityId, headers: sale.headers };
  const page = await (await signedIn(t.context.browser, app, me, false)).newPage();
  await page.goto(`${app.url}/campaigns/${sale.campaignId}/queue`);
  t.regex(await page.locator('#queue-cancelled').innerText(), /이 판매는 취소되었습니다/);
  t.regex(await page.locator('#cancel-message').innerText(), /운영 기관 안내: 판매처 전산 장애로 취소합니다/);
  t.is(await page.getByRole('link', { name: '결제하러 가기' }).count(), 0, 'nothing left to pay');
  t.notRegex(await page.locator('main').innerText(), /남은 수량/, 'no stock left to buy is shown');
  t.is(
    await page.locator(`main a[href="/campaigns/${sale.campaignId}"]`).count(),
    0,
    'no link to a page gone',
  );
  await shootAtWidths(page, 'queue-cancelled-ko');
  await checkWithJavaScript(t, app, me, page.url(), 'sale cancelled');
  await page.goto(`${app.url}/campaigns/${sale.campaignId}/queue?lang=en`);
  t.regex(await page.locator('#queue-cancelled').innerText(), /This sale was cancelled/);
  t.is(
    await page.locator('#cancel-message').innerText(),
    "From the organisers: Cancelled: the sellers' systems failed.",
    'the English message, not the Korean one',
  );
  await shootAtWidths(page, 'queue-cancelled-en');
});

browserTest('an admin corrects a rule the form refused, then saves the rules', async (t) => {
  t.timeout(120_000);
  const { app } = await instantWorld();
  t.teardown(() => app.close());
  const c = await scheduledSale(app, { units: 50 });
  // Far from its opening: the pre-queue is not open yet, so the rules may change.
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '2 hours' WHERE id = ?`, [c.id]);
  const context = await staffBrowserContext(t.context.browser, app, await signInWithForm(app, 'admin'));
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/campaigns/${c.id}`);
  await page.getByRole('link', { name: '대기실', exact: true }).click();
  t.regex(await page.locator('#room-status').innerText(), /아직 바꿀 수 있습니다/);
  await checkPage(t, page, 'waiting-room rules');
  await shootAtWidths(page, 'admin-waiting-room-ko');

  await page.getByLabel('초당 입장 인원').fill('0');
  await page.getByRole('button', { name: '규칙 저장' }).click();
  t.regex(await page.locator('.error-summary').innerText(), /초당 입장 인원: 1부터 100,000까지의 정수/);
  t.is(await page.locator('#f-admit_per_second').getAttribute('aria-invalid'), 'true');
  await checkPage(t, page, 'waiting-room rules refused');
  await shootAtWidths(page, 'admin-waiting-room-error-ko');

  await page.getByLabel('초당 입장 인원').fill('200');
  await page.getByLabel('초과 입장 (%)').fill('5');
  await page.getByRole('button', { name: '규칙 저장' }).click();
  t.regex(await page.locator('.notice').first().innerText(), /대기실 규칙을 저장했습니다/);
  t.is(await page.locator('#f-admit_per_second').inputValue(), '200');
  const room = await app.db('instant_rooms').where({ campaign_id: c.id }).first();
  t.like(room, { admit_per_second: 200, overbook_percent: 5 });
  await page.goto(`${app.url}/admin/campaigns/${c.id}/waiting-room?lang=en`);
  t.regex(await page.locator('#room-status').innerText(), /They can still be changed/);
  await shootAtWidths(page, 'admin-waiting-room-en');

  // The pre-queue opens and someone takes a place: the rules are shown, fixed, with no form.
  await app.db.raw(`UPDATE campaigns SET opens_at = now() + interval '10 minutes' WHERE id = ?`, [c.id]);
  const [early] = await buyers(app, 1);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: early!.headers });
  await page.goto(`${app.url}/admin/campaigns/${c.id}/waiting-room?lang=ko`);
  t.regex(await page.locator('#room-status').innerText(), /규칙이 정해졌습니다/);
  t.regex(await page.locator('#room-rules').innerText(), /초당 입장 인원\s+200/);
  t.is(await page.getByRole('button', { name: '규칙 저장' }).count(), 0);
  await checkPage(t, page, 'waiting-room rules fixed');
  await shootAtWidths(page, 'admin-waiting-room-fixed-ko');
  await context.close();
});

browserTest(
  "a sale limited to regions: the waiting room's places by region fit a phone, counts in sight",
  async (t) => {
    t.timeout(120_000);
    const { app } = await instantWorld();
    t.teardown(() => app.close());
    const c = await scheduledSale(app, { units: 50 });
    await app
      .db('campaigns')
      .where({ id: c.id })
      .update({ eligibility: JSON.stringify({ regions: ['중구', '동구'] }) });
    const context = await staffBrowserContext(t.context.browser, app, await signInWithForm(app, 'admin'));
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${app.url}/admin/campaigns/${c.id}/waiting-room`);
    const table = page.locator('#region-places');
    t.is(await table.locator('tbody tr').count(), 3, 'the two regions and "not declared"');
    // a two-column table needs no sideways scroll: the admin's wide-table width would hide the counts at 375 px
    t.true(await table.evaluate((el) => el.parentElement!.scrollWidth <= el.parentElement!.clientWidth));
    t.true(await table.locator('td.num').first().isVisible());
    await shootAtWidths(page, 'admin-waiting-room-regions-ko');
  },
);
