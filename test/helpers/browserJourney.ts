// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// Shared steps of the resident-side browser journeys: a Korean phone-sized page, axe-core on a page, and the
// newest one-time code read from the development outbox in another tab, and screenshots at two widths.
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { NotifyWorker } from '../../src/notify/worker.js';
import { startTestApp, type TestApp } from './app.js';
import { browserSuite } from './chromium.js';
import { openGoodsCampaign, ROOMY_LIMITS } from './intake.js';
import { standInChannels, startTestWorker, waitFor } from './notify.js';

export async function newPhonePage(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    locale: 'ko-KR',
  });
  return context.newPage();
}

/**
 * With SCREENSHOT_DIR set, writes the page at 375 px and 1280 px wide as <dir>/<name>-<width>.png, then sets
 * the viewport to `restore` if given; without it, does nothing.
 */
export async function shootAtWidths(page: Page, name: string, restore?: { width: number; height: number }) {
  const shots = process.env.SCREENSHOT_DIR;
  if (!shots) return;
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
  }
  if (restore) await page.setViewportSize(restore);
}

/** With SCREENSHOT_DIR set, writes the whole page as <dir>/<name>.png; without it (a test run, CI), writes nothing. */
export async function shootPage(page: Page, name: string) {
  const shots = process.env.SCREENSHOT_DIR;
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/**
 * axe run in the page itself: the default (runPartial per frame, then finishRun in a blank page it opens) took
 * 1.6-1.9 s a check against 0.6 s, the same results; our pages have no frames for it to cross. About a third of a
 * browser test file's time went on it (test/browser/campaign-contact.test.ts: 27.6 of 61 s).
 */
export const AXE_IN_PAGE = true;

/** No serious or critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function checkPage(t: ExecutionContext, page: Page, what: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(AXE_IN_PAGE)
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad)
    t.log(`[${v.impact}] ${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  t.deepEqual(
    bad.map((v) => v.id),
    [],
    `serious or critical accessibility problems on ${what}`,
  );
}

/** Reads the newest code not seen before from /dev/outbox in another tab, once the worker has delivered it. */
export async function codeFromOutbox(browser: Browser, appUrl: string, seen: Set<string>): Promise<string> {
  const page = await newPhonePage(browser, true);
  try {
    return await waitFor('the code in the outbox', async () => {
      await page.goto(`${appUrl}/dev/outbox`);
      const text = await page.locator('body').innerText();
      const codes = [...text.matchAll(/인증번호 (\d{6})/g)].map((m) => m[1]!);
      const fresh = codes.find((c) => !seen.has(c));
      if (fresh) seen.add(fresh);
      return fresh;
    });
  } finally {
    await page.context().close();
  }
}

/** The journey twice: with JavaScript (axe-core runs inside the page, so only then) and with it disabled. */
export function withAndWithoutJs(
  test: TestFn['serial'] | TestFn['skip'],
  title: string,
  journey: (t: ExecutionContext, javaScriptEnabled: boolean) => Promise<void>,
) {
  test(title, (t) => journey(t, true));
  test(`${title} (JavaScript disabled)`, (t) => journey(t, false));
}

export interface JourneyEnv {
  app: TestApp;
  browser: Browser;
  /** an open goods campaign with three pharmacies (test/helpers/intake.ts SITES) */
  campaignId: string;
  /** one-time codes already read from the outbox */
  seen: Set<string>;
}

/**
 * The browser journeys' setup: an app, an open mask campaign, the notification worker delivering to the
 * development outbox (as `npm start` does without credentials) and Chromium; skipped loudly without Chromium.
 */
export function journeySuite(file: string, unchecked: string) {
  const suite = browserSuite(file, unchecked);
  const test = anyTest as TestFn;
  const env = { seen: new Set<string>() } as JourneyEnv;
  let worker: NotifyWorker | undefined;
  test.before(async () => {
    if (!suite.available) return;
    env.app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
    const c = await openGoodsCampaign(env.app, {
      title_ko: '공적 마스크 예약',
      title_en: 'Public mask reservations',
    });
    env.campaignId = c.id;
    worker = await startTestWorker(env.app.database, standInChannels({}));
    env.browser = await suite.launch();
  });
  test.after.always(async () => {
    await env.browser?.close();
    await worker?.stop();
    await env.app?.close();
  });
  return { env, test, browserTest: suite.available ? test.serial : test.skip };
}
