// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered
// The public audit page verifies the bundle and a receipt in the visitor's own browser, with the domain code
// bundled by scripts/build-verify.ts (pure-JS SHA-256 in place of node:crypto), under CSP default-src 'self'.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { buildVerifyJs, verifyJsPath } from '../../scripts/build-verify.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserSuite } from '../helpers/chromium.js';
import { addApplications, closeWithBeacon, scheduledLottery } from '../helpers/draw.js';

const suite = browserSuite('test/draw/browser.test.ts', 'The in-browser verification of the draw');
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let campaignId: string;
let publicIds: string[];

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  const s = await scheduledLottery(app.db, app.clock, { sites: 3, capacity: 15 });
  publicIds = await addApplications(app.db, s, 120);
  const { reconciler } = await closeWithBeacon(app.db, app.clock, s, 'drand round 99: abc123');
  await reconciler.runOnce();
  campaignId = s.campaignId;
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

test('static/verify.js is the current build of src/domain/draw (npm run build:verify)', async (t) => {
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  t.is(
    digest(fs.readFileSync(verifyJsPath, 'utf8')),
    digest(await buildVerifyJs()),
    'static/verify.js is stale: run npm run build:verify and commit it',
  );
});

browserTest('the audit page verifies the bundle and a receipt in the browser, Korean first', async (t) => {
  const page = await browser!.newPage({ locale: 'ko-KR' });
  const problems: string[] = [];
  page.on(
    'response',
    (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(r.url()),
  );
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${app.url}/campaigns/${campaignId}/audit`);
  t.regex(res!.headers()['content-security-policy'] ?? '', /default-src 'self'/);
  t.is(await page.locator('h1').innerText(), '추첨 검증');
  const body = await page.locator('main').innerText();
  t.false(/@test\.example|applicant\d/.test(body), 'no personal data on the page');

  await page.click('#verify-bundle');
  await page.waitForSelector('#verify-bundle-result[data-result="match"]', { timeout: 20_000 });
  t.regex(await page.locator('#verify-bundle-result').innerText(), /일치/);

  const pid = publicIds.find((_p, i) => i % 50 !== 49)!; // an active application
  await page.fill('#receipt-public-id', pid);
  await page.click('#verify-receipt button');
  await page.waitForSelector('#verify-receipt-result[data-result="match"]', { timeout: 10_000 });
  t.deepEqual(problems, []);
  await page.close();
});

browserTest(
  'a tampered bundle is caught in the browser with the differing entry; English with ?lang=en',
  async (t) => {
    const page = await browser!.newPage();
    await page.route('**/bundle.json', async (route) => {
      const res = await route.fetch();
      const b = await res.json();
      const w = b.results.find((r: { outcome: string }) => r.outcome === 'won');
      w.amount += 1;
      await route.fulfill({ response: res, body: JSON.stringify(b) });
    });
    await page.goto(`${app.url}/campaigns/${campaignId}/audit?lang=en`);
    t.is(await page.locator('h1').innerText(), 'Draw audit');
    await page.click('#verify-bundle');
    await page.waitForSelector('#verify-bundle-result[data-result="mismatch"]', { timeout: 20_000 });
    const text = await page.locator('#verify-bundle-result').innerText();
    t.regex(text, /Mismatch: results/);
    t.regex(text, /amount published/);
    await page.close();
  },
);

browserTest('without JavaScript the page still shows the record and looks up a result', async (t) => {
  const context = await browser!.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const pid = publicIds[0]!;
  await page.goto(`${app.url}/campaigns/${campaignId}/audit?public_id=${pid}`);
  const text = await page.locator('main').innerText();
  t.regex(text, /결과 해시/);
  t.regex(text, new RegExp(pid));
  t.regex(text, /순위/);
  await context.close();
});
