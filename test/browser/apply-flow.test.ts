// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// A resident's whole journey in headless Chromium, in Korean: campaign page -> verify with the code read from the
// development outbox -> apply with two ranked pickup sites -> receipt. axe-core on every page of the path, and
// the same journey again with JavaScript disabled.

import type { ExecutionContext } from 'ava';
import {
  checkPage,
  codeFromOutbox,
  journeySuite,
  newPhonePage,
  withAndWithoutJs,
} from '../helpers/browserJourney.js';
import { nextPhone } from '../helpers/intake.js';

const { env, browserTest } = journeySuite(
  'test/browser/apply-flow.test.ts',
  'The application journey in a browser and with axe-core',
);

const newPage = (javaScriptEnabled: boolean) => newPhonePage(env.browser, javaScriptEnabled);

async function journey(t: ExecutionContext, javaScriptEnabled: boolean) {
  const page = await newPage(javaScriptEnabled);
  // axe-core runs as a script inside the page, so it checks the pages in the JavaScript run; the no-JS run
  // checks that every step still works with plain forms.
  const checkAxe = javaScriptEnabled ? checkPage : async () => {};
  const phone = nextPhone();
  await page.goto(`${env.app.url}/campaigns/${env.campaignId}`);
  t.is(await page.getAttribute('html', 'lang'), 'ko');
  await checkAxe(t, page, 'campaign page');
  await page.click(`a[href="/campaigns/${env.campaignId}/apply"]`);
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

  await page.fill('#code', await codeFromOutbox(env.browser, env.app.url, env.seen));
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
  const row = await env.app.db('applications').where({ public_id: publicId }).first();
  t.deepEqual(row.preferences, ['PH-C', 'PH-A']);
  t.is(Number(row.request), 2);
  t.is(row.channel, 'web');

  // Change, then withdraw, still before the close.
  await page.getByRole('link', { name: '신청 내용 변경' }).click();
  await page.selectOption('#amount', '1');
  await page.getByRole('button', { name: '변경 내용 저장' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /변경/);
  await page.getByRole('button', { name: '신청 취소' }).click();
  await page.getByRole('button', { name: '네, 신청을 취소합니다' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /취소/);
  t.is((await env.app.db('applications').where({ public_id: publicId }).first()).status, 'withdrawn');
  await page.context().close();
}

withAndWithoutJs(
  browserTest,
  'a resident verifies with the outbox code, applies with two ranked sites and sees the receipt',
  journey,
);
