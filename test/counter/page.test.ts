// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// The counter in headless Chromium: a pharmacist signs in and lands on /counter, checks a typed code and marks
// it collected, and the public stock page shows it; with the network cut, a scanned QR token is checked and
// recorded offline and synced when the connection returns, a code spent twice flagged; each press (and a
// refusal, in English) moves its slot's summary with its row. axe on both pages;
// screenshots at 375 px and 1280 px, in Korean and English.
import { execFileSync } from 'node:child_process';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { when } from '../../src/i18n/when.js';
import { at } from '../draw/_scenario.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { signInWithForm, staffBrowserContext } from '../helpers/browserSession.js';
import { browserSuite } from '../helpers/chromium.js';
import { qrCamera } from '../helpers/fakeCamera.js';
import { tempDirs } from '../helpers/tempDirs.js';
import { counterScenario } from './_setup.js';

const suite = browserSuite('test/counter/page.test.ts', 'The counter page and the stock page in a browser');
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser;
test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

test('static/counter.js and static/counter-qr.js are built from src/browser (npm run build:counter)', (t) => {
  t.notThrows(() =>
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-counter.ts', '--check'], {
      stdio: 'pipe',
    }),
  );
});

/** The summary of the slot that lists this award: [awarded, collected, waiting], as the page shows it. */
const countsBeside = async (page: Page, publicId: string) => {
  const slot = page.locator('.pickup-slot', { has: page.locator(`tr[data-public-id="${publicId}"]`) });
  return ((await slot.locator('.slot-counts').innerText()).match(/\d+/g) ?? []).map(Number);
};

/** Every slot's summary on the page, in order. */
const allCounts = (page: Page) => page.locator('.slot-counts').allInnerTexts();

const remainingAt = async (page: Page, url: string, site: string) => {
  await page.goto(url);
  return Number((await page.locator(`.remaining[data-site="${site}"]`).innerText()).replace(/\D/g, ''));
};

browserTest('site staff collect a typed code, and a QR offline; the stock page shows it', async (t) => {
  t.timeout(240_000); // one long journey, on a shared machine
  const sc = await counterScenario(app);
  const site0 = sc.s.siteIds[0]!;
  // At +61.9 h both slots of the site are open for pickup (the second starts at +62 h, the grace is 10 min).
  const [a, b, c, d] = sc.winnersAt(site0);
  const siteRow = await app.db('sites').where({ id: site0 }).first();
  const awardRow = (publicId: string) =>
    app.db('awards').where({ campaign_id: sc.s.campaignId, public_id: publicId }).first();
  const deadlineOf = async (publicId: string) => (await awardRow(publicId)).claim_deadline as Date;
  const zone = sc.campaign.time_zone;
  app.clock.set(at(61.9));
  const email = `pharmacist-${Date.now()}@test.example`;
  await addStaff(
    { db: app.db, clock: app.clock },
    { kind: 'system', name: 'test' },
    { email, role: 'site_staff', site_id: site0, password: 'correct horse battery staple' },
  );
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ko-KR' });
  await context.clock.setFixedTime(at(61.9)); // the page's clock agrees with the app's stepped clock
  const page = await context.newPage();
  const stockPage = await context.newPage();
  const stockUrl = `${app.url}/campaigns/${sc.s.campaignId}/stock`;
  const before = await remainingAt(stockPage, stockUrl, site0);

  await page.goto(`${app.url}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', 'correct horse battery staple');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/counter$/);
  t.regex(await page.locator('h1').innerText(), /수령 창구/);
  t.false(
    (await page.locator('#net-status').locator('..').innerText()).trim().endsWith('·'),
    'no dot left hanging where the queue says nothing',
  );
  t.true(
    await page.locator(`tr[data-public-id="${a!.public_id}"]`).isVisible(),
    'today’s pickups list the award',
  );

  // Typed, online.
  await page.fill('#code', await sc.codeOf(a!.public_id));
  await page.click('#check-form button[type=submit]');
  await page.locator('#collect').waitFor();
  const facts = await page.locator('#result').innerText();
  t.true(facts.includes(a!.public_id));
  t.regex(facts, /1980년/, 'the birth year to compare with an ID card');
  t.true(facts.includes(sc.campaign.title_ko), 'the campaign: what the items are');
  t.true(
    facts.includes(when(await deadlineOf(a!.public_id), zone, 'ko')),
    `the deadline as the site writes times: ${facts}`,
  );
  await checkPage(t, page, 'the counter with a checked code');
  await shootPage(page, `counter-check-ko-375`);
  const [awardsA, collectedA, waitingA] = await countsBeside(page, a!.public_id);
  await page.click('#collect');
  await page.getByText('수령 처리되었습니다').waitFor();
  t.deepEqual(
    await countsBeside(page, a!.public_id),
    [awardsA!, collectedA! + 1, waitingA! - 1],
    'the slot’s summary follows its row',
  );
  await new Promise((r) => setTimeout(r, 600)); // the stock snapshot is at most 0.5 s old
  t.is(await remainingAt(stockPage, stockUrl, site0), before - Number(a!.amount), 'the stock page shows it');
  await checkPage(t, stockPage, 'the stock page');

  // Offline: the QR token (a USB scanner types it into the box) is verified with the page's public key.
  const tokenB = await sc.tokenOf(b!.public_id);
  const tokenC = await sc.tokenOf(c!.public_id);
  await context.setOffline(true);
  await page.fill('#code', tokenB);
  await page.click('#check-form button[type=submit]');
  await page.getByText('오프라인 확인').waitFor();
  const collectedB = (await countsBeside(page, b!.public_id))[1]!;
  await page.click('#collect');
  await page.getByText('오프라인으로 기록했습니다').waitFor();
  t.is((await countsBeside(page, b!.public_id))[1], collectedB + 1, 'offline too');
  await page.fill('#code', tokenC);
  await page.click('#check-form button[type=submit]');
  await page.click('#collect');
  await page.getByText('전송 대기 2건').waitFor();
  // A typed code cannot be checked offline: said plainly.
  await page.fill('#code', await sc.codeOf(b!.public_id));
  await page.click('#check-form button[type=submit]');
  await page.getByText('짧은 코드는 확인할 수 없습니다').waitFor();
  await shootPage(page, `counter-offline-ko-375`);
  // Meanwhile another counter (online) hands C over too.
  const other = await app.staff('site_staff', { site_id: site0 });
  const res = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: other,
    json: { code: await sc.codeOf(c!.public_id) },
  });
  t.is(res.status, 201);
  await context.setOffline(false);
  await page.getByText('오프라인 기록 2건을 전송했습니다').waitFor();
  const fresh = await context.newPage();
  await fresh.goto(`${app.url}/counter`);
  t.deepEqual(await allCounts(page), await allCounts(fresh), 'after the sync the summaries are the server’s');
  await fresh.close();
  t.regex(await page.locator('#result').innerText(), new RegExp(`이중 수령: ${c!.public_id}`));
  const rowB = await app
    .db('awards')
    .where({ campaign_id: sc.s.campaignId, public_id: b!.public_id })
    .first();
  t.is(rowB.status, 'collected');
  t.is(rowB.collected_via, 'offline');
  const conflicts = await app.db('collection_conflicts').where({ campaign_id: sc.s.campaignId });
  t.deepEqual(
    conflicts.map((k) => k.public_id),
    [c!.public_id],
  );
  await new Promise((r) => setTimeout(r, 600));
  t.is(
    await remainingAt(stockPage, stockUrl, site0),
    before - Number(a!.amount) - Number(b!.amount) - Number(c!.amount),
  );

  // In English, at a desktop: the site's English name, the campaign's English title, the times as elsewhere.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${app.url}/counter?lang=en`);
  await page.fill('#code', await sc.codeOf(a!.public_id));
  await page.click('#check-form button[type=submit]');
  const spent = await page.locator('#result .error').innerText();
  t.true(spent.includes(siteRow.name_en), `the site in English: ${spent}`);
  t.false(spent.includes(siteRow.name_ko), 'not in Korean');
  t.regex(spent, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(GMT\+9\)/, 'the collection time as the site writes times');
  await page.fill('#code', await sc.codeOf(d!.public_id));
  await page.click('#check-form button[type=submit]');
  await page.locator('#refuse').waitFor();
  const factsEn = await page.locator('#result').innerText();
  t.true(factsEn.includes(sc.campaign.title_en), `the campaign in English: ${factsEn}`);
  t.regex(factsEn, /Hand over: (1 item|\d+ items)\b/, 'one item, or items');
  t.true(factsEn.includes(when(await deadlineOf(d!.public_id), zone, 'en')), factsEn);
  await shootPage(page, 'counter-check-en-1280');
  const [awardsD, collectedD, waitingD] = await countsBeside(page, d!.public_id);
  await page.selectOption('#reason', 'no_id');
  // The first press only asks, naming the award and the reason; "back" shows the award again, nothing changed.
  await page.click('#refuse');
  const ask = await page.locator('#refuse-confirm').innerText();
  t.true(ask.includes(d!.public_id) && ask.includes('No ID card') && /cannot be undone/.test(ask), ask);
  await shootPage(page, 'counter-refuse-confirm-en-1280');
  await page.click('#refuse-back');
  await page.locator('#refuse').waitFor();
  t.is((await awardRow(d!.public_id)).status, 'won', 'asking refuses nothing');
  await page.selectOption('#reason', 'no_id');
  await page.click('#refuse');
  await page.click('#refuse-yes');
  await page.locator(`tr[data-public-id="${d!.public_id}"][data-status="refused"]`).waitFor();
  // passed down into the same slot (one still ahead), the award shows there at once: one more awarded and waiting
  // (the refused award's slot as the draw gave it: a refusal releases the hold it had)
  const heir = await app
    .db('awards')
    .where({ campaign_id: sc.s.campaignId, status: 'promoted', promoted_from_rank: d!.rank })
    .first();
  const intoSlot = heir?.held_slot === d!.slot;
  if (intoSlot) await page.locator(`tr[data-public-id="${heir.public_id}"]`).waitFor();
  const more = intoSlot ? 1 : 0;
  t.deepEqual(
    await countsBeside(page, d!.public_id),
    [awardsD! + more, collectedD!, waitingD! - 1 + more],
    'a refusal leaves one fewer waiting, and its heir in the slot one more',
  );
  await shootPage(page, 'counter-refused-en-1280');

  for (const [lang, width] of [
    ['ko', 375],
    ['ko', 1280],
    ['en', 375],
    ['en', 1280],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${app.url}/counter?lang=${lang}`);
    await shootPage(page, `counter-${lang}-${width}`);
    await stockPage.setViewportSize({ width, height: 900 });
    await stockPage.goto(`${stockUrl}?lang=${lang}`);
    await shootPage(stockPage, `stock-${lang}-${width}`);
    // "· 2026-12-07" and "· 중구" run on after the heading's text, not on a line of their own
    for (const [p, heading] of [
      [page, 'h3'],
      [stockPage, 'h2'],
    ] as const) {
      // how far below the heading's top the date starts, in the heading's lines: 0 on its line, 1 on the next
      const lines = await p.evaluate((h) => {
        const meta = document.querySelector(`${h} > .meta`)!;
        const line = Number.parseFloat(getComputedStyle(meta.parentElement!).lineHeight);
        return (meta.getBoundingClientRect().top - meta.parentElement!.getBoundingClientRect().top) / line;
      }, heading);
      t.true(lines < 0.5, `${heading} .meta on the heading's first line (${lang}, ${width} px): ${lines}`);
    }
    // and the stock's "as of … · refresh": the dot goes with the link, not left at the end of the line above
    const dotAbove = await stockPage.evaluate(() => {
      const link = document.querySelector('p.meta a')!;
      const walker = document.createTreeWalker(link.closest('p')!, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const text = walker.currentNode as Text;
        const at = text.data.indexOf('·');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        return link.getBoundingClientRect().top - range.getBoundingClientRect().top;
      }
      return Number.NaN;
    });
    t.true(Math.abs(dotAbove) < 8, `the dot on the refresh link's line (${lang}, ${width} px): ${dotAbove}`);
  }
  await checkPage(t, page, 'the counter in English');
  await context.close();
});

browserTest('another counter’s collection and an award passed down show without a reload', async (t) => {
  t.timeout(120_000);
  const sc = await counterScenario(app);
  const site0 = sc.s.siteIds[0]!;
  // +61 h: the first slot's winners are at the counter; an award passed down now has no slot left ahead (promotions
  // need 2 h, the site's last slot starts at +62 h), so it lands in an "any time" group the page did not show.
  app.clock.set(at(61));
  const [w, x] = sc.winnersAt(site0).filter((a) => a.slot.endsWith('-S1'));
  const session = await signInWithForm(app, 'site_staff', { site_id: site0 });
  const context = await staffBrowserContext(browser, app, session, 'ko-KR', 375);
  await context.clock.setFixedTime(at(61));
  const page = await context.newPage();
  await page.goto(`${app.url}/counter`);
  const anyTime = page.locator('.pickup-slot[data-slot=""]');
  t.is(await anyTime.count(), 0, 'nothing passed down yet');

  // Another counter collects x; this page learns it when staff come back to it.
  const other = await app.staff('site_staff', { site_id: site0 });
  const collected = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: other,
    json: { code: await sc.codeOf(x!.public_id) },
  });
  t.is(collected.status, 201, collected.text);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.locator(`tr[data-public-id="${x!.public_id}"][data-status="collected"]`).waitFor();

  // This counter refuses w: the award passed down appears at once, in its own group, with its summary.
  await page.fill('#code', await sc.codeOf(w!.public_id));
  await page.click('#check-form button[type=submit]');
  await page.selectOption('#reason', 'id_mismatch');
  await page.click('#refuse');
  await page.click('#refuse-yes');
  await page.locator(`tr[data-public-id="${w!.public_id}"][data-status="refused"]`).waitFor();
  const refusal = await app
    .db('awards')
    .where({ campaign_id: sc.s.campaignId, public_id: w!.public_id })
    .first();
  t.is(refusal.status, 'refused');
  const promoted = await app
    .db('awards')
    .where({ campaign_id: sc.s.campaignId, status: 'promoted', promoted_from_rank: w!.rank })
    .first();
  t.truthy(promoted, 'passed down');
  const row = anyTime.locator(`tr[data-public-id="${promoted.public_id}"][data-status="promoted"]`);
  await row.waitFor();
  t.is(await anyTime.locator('h4').innerText(), '영업시간 중 언제든');
  t.deepEqual(
    await anyTime.locator('th').allInnerTexts(),
    ['접수번호', '수량', '상태'],
    'headed as the server heads it',
  );
  t.deepEqual(
    ((await anyTime.locator('.slot-counts').innerText()).match(/\d+/g) ?? []).map(Number).slice(0, 3),
    [1, 0, 1],
  );
  t.true(await page.locator('#list-changed').isHidden());
  // The page now holds what a fresh load shows.
  const fresh = await context.newPage();
  await fresh.goto(`${app.url}/counter`);
  t.deepEqual(await allCounts(page), await allCounts(fresh));
  t.deepEqual(
    await page
      .locator('tr[data-public-id]')
      .evaluateAll((rs) => rs.map((r) => `${r.dataset.publicId} ${r.dataset.status}`)),
    await fresh
      .locator('tr[data-public-id]')
      .evaluateAll((rs) => rs.map((r) => `${r.dataset.publicId} ${r.dataset.status}`)),
  );
  await shootPage(page, 'counter-passed-down-ko-375');
  await checkPage(t, page, 'the counter with an award passed down');
  await context.close();
});

const scratch = tempDirs('counter-camera-');

browserTest(
  'without BarcodeDetector the camera reads a QR with jsQR, fetched then and kept offline',
  async (t) => {
    t.timeout(120_000);
    const sc = await counterScenario(app);
    const site0 = sc.s.siteIds[0]!;
    const [a] = sc.winnersAt(site0);
    app.clock.set(at(61.9));
    const token = await sc.tokenOf(a!.public_id);
    // Safari and Firefox have no BarcodeDetector (nor has Chromium on Linux): the page reads frames with jsQR.
    const camera = await suite.launch(qrCamera(scratch(), token));
    try {
      const session = await signInWithForm(app, 'site_staff', { site_id: site0 });
      const context = await staffBrowserContext(camera, app, session, 'ko-KR', 375);
      await context.clock.setFixedTime(at(61.9));
      await context.addInitScript(() => {
        delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
      });
      const page = await context.newPage();
      const asked: string[] = []; // what the page asked for, by path
      page.on('request', (r) => asked.push(new URL(r.url()).pathname));
      const script = page.waitForResponse((r) => new URL(r.url()).pathname === '/static/counter.js');
      await page.goto(`${app.url}/counter`);
      const read = (await (await script).body()).length;
      const sent = (await (await script).request().sizes()).responseBodySize;
      t.true(read < 40_000, `the script without jsQR or luxon: ${read} bytes (it was 232 KB)`);
      t.true(sent < read / 2, `sent compressed: ${sent} of ${read} bytes`);
      t.false(asked.includes('/static/counter-qr.js'), 'no QR reader before the camera opens');
      t.true(
        await page.evaluate(async () => {
          await navigator.serviceWorker.ready;
          return Boolean(await caches.match('/static/counter-qr.js'));
        }),
        'the service worker keeps the QR reader for a scan without a connection',
      );

      await context.setOffline(true);
      await page.click('#scan');
      await page.getByText('오프라인 확인').waitFor();
      t.is(await page.inputValue('#code'), token, 'the QR code read from the camera');
      t.true((await page.locator('#result').innerText()).includes(a!.public_id));
      t.true(await page.locator('#scanner').isHidden(), 'the camera is put away');
      await shootPage(page, 'counter-scanned-offline-ko-375');
      t.true(asked.includes('/static/counter-qr.js'), 'the QR reader, at the first scan');
      await context.close();

      // No reader to be had (no service worker kept it, no connection): said plainly, no camera opened for nothing.
      const bare = await camera.newContext({ serviceWorkers: 'block', locale: 'ko-KR' });
      const [name, value] = session.cookie.split('=') as [string, string];
      await bare.addCookies([{ name, value, url: app.url }]);
      await bare.addInitScript(() => {
        delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
      });
      await bare.route('**/static/counter-qr.js', (r) => r.abort('internetdisconnected'));
      const lost = await bare.newPage();
      await lost.goto(`${app.url}/counter`);
      await lost.click('#scan');
      await lost.getByText('QR 판독기를 불러오지 못했습니다').waitFor();
      t.true(await lost.locator('#scanner').isHidden(), 'the camera stays off');
      await shootPage(lost, 'counter-reader-failed-ko-1280');
      await bare.close();
    } finally {
      await camera.close();
    }
  },
);
