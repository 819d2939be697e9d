// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// A resident's whole journey in headless Chromium, in Korean: campaign page -> verify with the code read from the
// development outbox -> apply with two ranked pickup sites -> receipt. axe-core on every page of the path, and
// the same journey again with JavaScript disabled.
import { AxeBuilder } from '@axe-core/playwright';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { NotifyWorker } from '../../src/notify/worker.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { browserSuite } from '../helpers/chromium.js';
import { nextPhone, openGoodsCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { standInChannels, startTestWorker, waitFor } from '../helpers/notify.js';

const suite = browserSuite(
  'test/browser/apply-flow.test.ts',
  'The application journey in a browser and with axe-core',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let campaignId: string;
let worker: NotifyWorker | undefined;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
  const c = await openGoodsCampaign(app, {
    title_ko: '공적 마스크 예약',
    title_en: 'Public mask reservations',
  });
  campaignId = c.id;
  // The notification worker delivers to the development outbox, as `npm start` does without credentials.
  worker = await startTestWorker(app.database, standInChannels({}));
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.close();
});

async function newPage(javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    locale: 'ko-KR',
  });
  return context.newPage();
}

async function checkPage(t: ExecutionContext, page: Page, what: string) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
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

/** Reads the newest code from /dev/outbox in another tab, once the worker has delivered it there. */
async function codeFromOutbox(seen: Set<string>): Promise<string> {
  const page = await newPage(true);
  try {
    return await waitFor('the code in the outbox', async () => {
      await page.goto(`${app.url}/dev/outbox`);
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

const seenCodes = new Set<string>();

async function journey(t: ExecutionContext, javaScriptEnabled: boolean) {
  const page = await newPage(javaScriptEnabled);
  // axe-core runs as a script inside the page, so it checks the pages in the JavaScript run; the no-JS run
  // checks that every step still works with plain forms.
  const checkAxe = javaScriptEnabled ? checkPage : async () => {};
  const phone = nextPhone();
  await page.goto(`${app.url}/campaigns/${campaignId}`);
  t.is(await page.getAttribute('html', 'lang'), 'ko');
  await checkAxe(t, page, 'campaign page');
  await page.click(`a[href="/campaigns/${campaignId}/apply"]`);
  t.regex(await page.locator('h1').innerText(), /본인 확인/);
  await checkAxe(t, page, 'verification page');

  await page.fill('#phone', phone);
  await page.fill('#birth_date', '19820315');
  await page.getByRole('button', { name: '문자로 인증번호 받기' }).click();
  t.regex(await page.locator('h1').innerText(), /인증번호 입력/);
  await checkAxe(t, page, 'code page');

  // A wrong code first: the error summary names the problem and links to the field.
  await page.fill('#code', '000000');
  await page.getByRole('button', { name: '확인' }).click();
  t.regex(await page.locator('.error-summary').innerText(), /인증번호가 맞지 않습니다/);
  await checkAxe(t, page, 'code page with an error');

  await page.fill('#code', await codeFromOutbox(seenCodes));
  await page.getByRole('button', { name: '확인' }).click();
  t.regex(await page.locator('h1').innerText(), /신청서 작성/);
  await checkAxe(t, page, 'application form');

  // Too few sites first, then the real choice.
  await page.selectOption('#amount', '2');
  await page.getByRole('button', { name: '신청하기' }).click();
  t.regex(await page.locator('.error-summary').innerText(), /수령처/);
  await checkAxe(t, page, 'application form with an error');
  await page.selectOption('#site_1', 'PH-C');
  await page.selectOption('#site_2', 'PH-A');
  await page.getByRole('button', { name: '신청하기' }).click();

  t.regex(await page.locator('h1').innerText(), /신청 접수증/);
  const publicId = (await page.locator('#public-id').innerText()).trim();
  t.regex(publicId, /^A[0-9A-HJKMNP-TV-Z]{9}$/);
  t.regex(await page.locator('.facts').innerText(), /다약국[\s\S]*가약국/);
  await checkAxe(t, page, 'receipt page');
  const row = await app.db('applications').where({ public_id: publicId }).first();
  t.deepEqual(row.preferences, ['PH-C', 'PH-A']);
  t.is(Number(row.request), 2);
  t.is(row.channel, 'web');

  // Change, then withdraw, still before the close.
  await page.getByRole('link', { name: '신청 내용 변경' }).click();
  await page.selectOption('#amount', '1');
  await page.getByRole('button', { name: '변경 내용 저장' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /변경/);
  await page.getByRole('button', { name: '신청 취소' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /취소/);
  t.is((await app.db('applications').where({ public_id: publicId }).first()).status, 'withdrawn');
  await page.context().close();
}

browserTest(
  'a resident verifies with the outbox code, applies with two ranked sites and sees the receipt',
  async (t) => {
    await journey(t, true);
  },
);

browserTest('the same journey works with JavaScript disabled', async (t) => {
  await journey(t, false);
});
