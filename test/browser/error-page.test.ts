// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// The error page in headless Chromium on a 375 px phone and a desktop screen, Korean and English: its heading,
// no sideways scroll, axe, the way home working, and a screenshot of each for a person to look at.
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';

const suite = browserSuite(
  'test/browser/error-page.test.ts',
  'The error page in a browser and with axe-core',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

let app: TestApp;
let browser: Browser | undefined;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

const SCREENS = [
  { name: 'phone', viewport: { width: 375, height: 740 }, isMobile: true },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false },
];
const LANGS = [
  { lang: 'ko', query: '', heading: '페이지를 찾을 수 없습니다', home: '처음으로', back: '이전 페이지로' },
  {
    lang: 'en',
    query: '?lang=en',
    heading: 'Page not found',
    home: 'Back to the start',
    back: 'Back to the previous page',
  },
];

for (const screen of SCREENS) {
  for (const L of LANGS) {
    browserTest(
      `404 page on a ${screen.name} in ${L.lang}: heading, no sideways scroll, axe, home`,
      async (t) => {
        const context = await browser!.newContext({
          viewport: screen.viewport,
          isMobile: screen.isMobile,
          hasTouch: screen.isMobile,
          deviceScaleFactor: 1,
          locale: 'ko-KR',
        });
        const page = await context.newPage();
        // Arrive from the campaign list, as a person following a stale link would: the page offers the way back.
        const res = await page.goto(`${app.url}/campaigns/${NO_SUCH}${L.query}`, {
          referer: `${app.url}/campaigns${L.query}`,
        });
        t.is(res?.status(), 404);
        t.is(await page.getAttribute('html', 'lang'), L.lang);
        t.is((await page.textContent('h1'))?.trim(), L.heading);
        t.is(await page.getByRole('link', { name: L.back }).getAttribute('href'), `/campaigns${L.query}`);
        t.is(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
        await checkPage(t, page, `the 404 page (${screen.name}, ${L.lang})`);
        await shootPage(page, `error-404-${screen.name}-${L.lang}`);
        await page.getByRole('link', { name: L.home, exact: true }).click();
        await page.waitForURL(/\/campaigns(\?|$)/);
        t.is(new URL(page.url()).pathname, '/campaigns');
        await context.close();
      },
    );
  }
}
