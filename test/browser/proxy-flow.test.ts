// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// A community-centre helper's journey in headless Chromium, in Korean: the helper proves who they are, sends a
// code to the person they help, enters the code that person reads out, fills the same application form on their
// behalf and sees the receipt marked as a proxy application with the helper's remaining cap. axe-core on every
// page of the path; the same journey again with JavaScript disabled and in English.

import type { ExecutionContext } from 'ava';
import { addStaff } from '../../src/commands/staffAccounts.js';
import {
  checkPage,
  codeFromOutbox,
  journeySuite,
  newPhonePage,
  withAndWithoutJs,
} from '../helpers/browserJourney.js';
import { nextPhone } from '../helpers/intake.js';

const { env, browserTest } = journeySuite(
  'test/browser/proxy-flow.test.ts',
  'The proxy (helper) journey in a browser',
);

let staffCount = 0;

/** An admin registers the helper on /admin/proxies, signed in through the staff form in the same browser. */
async function registerHelper(t: ExecutionContext, javaScriptEnabled: boolean, cap: number) {
  const phone = nextPhone();
  const email = `proxy-admin-${++staffCount}-${Date.now()}@test.example`;
  const password = 'correct horse battery staple';
  await addStaff(
    { db: env.app.db, clock: env.app.clock },
    { kind: 'system', name: 'test' },
    { email, role: 'admin', password },
  );
  const page = await newPhonePage(env.browser, javaScriptEnabled);
  await page.goto(`${env.app.url}/staff/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.locator('main button[type=submit]').click();
  await page.goto(`${env.app.url}/admin/proxies`);
  if (javaScriptEnabled) await checkPage(t, page, 'admin helpers page');
  await page.fill('#f-phone', phone);
  await page.fill('#f-birth_date', '19700101');
  await page.fill('#f-label', '행복동 주민센터');
  await page.fill('#f-cap', String(cap));
  await page.getByRole('button', { name: '도우미 등록' }).click();
  t.regex(await page.locator('[role=status]').innerText(), /도우미를 등록했습니다/);
  t.regex(await page.locator('table').innerText(), /행복동 주민센터[\s\S]*0 \/ 2/);
  await page.context().close();
  const row = await env.app.db('proxies').orderBy('created_at', 'desc').first('id');
  return { phone, proxyId: row.id as string };
}

async function journey(t: ExecutionContext, javaScriptEnabled: boolean) {
  const axe = javaScriptEnabled ? checkPage : async () => {};
  const helper = await registerHelper(t, javaScriptEnabled, 2);
  const page = await newPhonePage(env.browser, javaScriptEnabled);

  // The helper signs in as themselves from the verification page's helper link, and comes back to the proxy page.
  await page.goto(`${env.app.url}/campaigns/${env.campaignId}/apply`);
  await page.getByRole('link', { name: /대신해 신청하기/ }).click();
  t.regex(await page.locator('.notice').innerText(), /도우미 본인/);
  await axe(t, page, 'helper verification page');
  await page.fill('#phone', helper.phone);
  await page.fill('#birth_date', '19700101');
  await page.getByRole('button', { name: '문자로 인증번호 받기' }).click();
  await page.fill('#code', await codeFromOutbox(env.browser, env.app.url, env.seen));
  await page.getByRole('button', { name: '확인' }).click();

  // The proxy start page: the person's phone and birth date; the code goes to the person.
  t.regex(await page.locator('h1').innerText(), /대신 신청하기/);
  t.regex(await page.locator('#proxy-remaining').innerText(), /2명 중 2명 남음/);
  await axe(t, page, 'proxy start page');
  await page.getByRole('button', { name: '그분에게 인증번호 보내기' }).click();
  t.regex(await page.locator('.error-summary').innerText(), /휴대전화 번호/);
  await axe(t, page, 'proxy start page with an error');
  const person = nextPhone();
  await page.fill('#phone', person);
  await page.fill('#birth_date', '19400202');
  await page.getByRole('button', { name: '그분에게 인증번호 보내기' }).click();
  t.regex(await page.locator('main').innerText(), /그분이 읽어 주는 6자리/);
  await axe(t, page, 'proxy code page');
  await page.fill('#code', '000000');
  await page.getByRole('button', { name: '확인' }).click();
  t.regex(await page.locator('.error-summary').innerText(), /인증번호가 맞지 않습니다/);
  await page.fill('#code', await codeFromOutbox(env.browser, env.app.url, env.seen));
  await page.getByRole('button', { name: '확인' }).click();

  // The same application form, on the person's behalf.
  t.regex(await page.locator('h1').innerText(), /대신 신청서 작성/);
  t.regex(await page.locator('#proxy-note').innerText(), /1940-02-02 · 010-\*\*\*\*-\d{4} 님을 대신해/);
  await axe(t, page, 'proxy application form');
  // The district search keeps the person's verification (a GET form on the proxy page).
  await page.selectOption('#district', '동구');
  await page.getByRole('button', { name: '찾기' }).click();
  t.regex(await page.locator('h1').innerText(), /대신 신청서 작성/);
  await page.selectOption('#amount', '2');
  await page.selectOption('#site_1', 'PH-C');
  await page.getByRole('button', { name: '신청하기' }).click();

  t.regex(await page.locator('h1').innerText(), /신청 접수증/);
  t.regex(await page.locator('[role=status]').innerText(), /대리 신청이 접수/);
  t.is((await page.locator('#proxy-mark').innerText()).trim(), '대리 신청');
  t.regex(await page.locator('#proxy-remaining').innerText(), /2명 중 1명 남음/);
  t.is(await page.getByRole('button', { name: '신청 취소' }).count(), 0, 'the helper cannot withdraw it');
  await axe(t, page, 'proxy receipt page');
  const publicId = (await page.locator('#public-id').innerText()).trim();
  const row = await env.app.db('applications').where({ public_id: publicId }).first();
  t.is(row.channel, 'proxy');
  t.is(row.proxy_id, helper.proxyId);
  t.deepEqual(row.preferences, ['PH-C']);
  const audit = await env.app
    .db('audit_log')
    .where({ action: 'application.proxy_submitted' })
    .whereRaw("data->>'public_id' = ?", [publicId]);
  t.is(audit.length, 1);
  // The receipt went to the person, not the helper.
  const receipt = await env.app
    .db('messages')
    .where({ dedupe_key: `receipt:${row.id}:v1` })
    .first();
  t.truthy(receipt);

  // The same page in English.
  await page.goto(`${env.app.url}/campaigns/${env.campaignId}/proxy/receipts/${publicId}?lang=en`);
  t.is(await page.getAttribute('html', 'lang'), 'en');
  t.regex(await page.locator('#proxy-mark').innerText(), /proxy application/);
  t.regex(await page.locator('#proxy-remaining').innerText(), /1 of 2/);
  await axe(t, page, 'proxy receipt page in English');
  await page.goto(`${env.app.url}/campaigns/${env.campaignId}/proxy`);
  t.regex(await page.locator('h1').innerText(), /Apply on someone's behalf/);
  await axe(t, page, 'proxy start page in English');
  await page.context().close();
}

withAndWithoutJs(
  browserTest,
  'a helper verifies the person they help, applies for them and sees the proxy receipt',
  journey,
);
