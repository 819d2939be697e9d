// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// A campaign's contact (문의처) in headless Chromium, Korean and English, at 375 px and on a desktop: where residents
// look for help (the campaign's page, a voucher winner's and a refused award's result pages, a cancelled campaign's
// receipt, a sale's queue) and where an operator sets it (the campaign form, the overview's box, each with a fault).
// Each fits the screen, its phone is a link to dial, and axe-core finds no serious or critical problem. Screenshots
// go to SCREENSHOT_DIR.
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { RESIDENT_COOKIE, signResidentToken } from '../../src/identity/residentSession.js';
import { awardsOf, drawnLottery } from '../draw/_scenario.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { createdVoucherCampaign, OFFICE_CONTACT } from '../helpers/factories.js';
import { scheduledSale } from '../helpers/instant.js';
import { appliedResident, openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

const suite = browserSuite('test/browser/campaign-contact.test.ts', "A campaign's contact in a browser");
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let admin: StaffAuth;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 } });
  admin = await app.staff('admin');
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

const LANGS = ['ko', 'en'] as const;
const WIDTHS = [375, 1280];

/** A page at `width`, as a resident with this session (or none), or as the admin. */
async function pageAt(width: number, o: { token?: string; staff?: boolean } = {}): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width, height: 800 },
    isMobile: width < 500,
    ...(o.staff ? { extraHTTPHeaders: { authorization: `Bearer ${admin.token}` } } : {}),
  });
  if (o.token) await context.addCookies([{ name: RESIDENT_COOKIE, value: o.token, url: app.url }]);
  return context.newPage();
}

const width = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Looks at the contact on the page: whole on screen, the phone a link to dial in the page's words. */
async function seeContact(t: ExecutionContext, page: Page, lang: 'ko' | 'en') {
  const section = page.locator('#campaign-contact');
  t.regex(await section.locator('h2').innerText(), lang === 'ko' ? /^문의처$/ : /^Questions\?$/);
  t.regex(
    await page.locator('#contact-name').innerText(),
    lang === 'ko' ? /^중구청 일자리경제과$/ : /^Jung-gu Office, Jobs and Economy$/,
  );
  const phone = page.locator('#contact-phone');
  t.is(await phone.getAttribute('href'), 'tel:0233964000');
  const box = (await phone.boundingBox())!;
  t.true(box.height >= 44, `the phone is a target a thumb hits: ${box.height} px`);
  const viewport = page.viewportSize()!.width;
  const whole = (await section.boundingBox())!;
  t.true(whole.x >= 0 && whole.x + whole.width <= viewport, 'the section within the screen');
  t.true((await width(page)) <= viewport, 'nothing wider than the screen');
}

async function residentToken(campaignId: string, publicId: string): Promise<string> {
  const a = await app.db('applications').where({ campaign_id: campaignId, public_id: publicId }).first();
  return signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: a.identity_id, m: 'sms', bd: '1982-03-15', bs: 'declared', cc: null, ce: null, lang: 'ko' },
    app.clock.now(),
  );
}

browserTest("the campaign's page and a sale's queue page name whom to ask", async (t) => {
  const { id } = await createdVoucherCampaign(app, admin, OFFICE_CONTACT);
  await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
  const sale = await scheduledSale(app, { units: 5 });
  await app.db('campaigns').where({ id: sale.id }).update(OFFICE_CONTACT);
  for (const w of WIDTHS)
    for (const lang of LANGS) {
      const page = await pageAt(w);
      await page.goto(`${app.url}/campaigns/${id}?lang=${lang}`);
      await seeContact(t, page, lang);
      if (w === 375) await checkPage(t, page, `the campaign's page (${lang})`);
      await shootPage(page, `contact-campaign-${lang}-${w}`);
      await page.goto(`${app.url}/campaigns/${sale.id}/queue?lang=${lang}`);
      await seeContact(t, page, lang);
      if (w === 375) await checkPage(t, page, `the queue page (${lang})`);
      await shootPage(page, `contact-queue-${lang}-${w}`);
      await page.context().close();
    }
});

browserTest("a voucher winner's page and a refused award's page name whom to ask", async (t) => {
  const vouchers = await drawnLottery(app, {
    kind: 'voucher',
    applicants: 20,
    total: 2_000_000,
    campaign: OFFICE_CONTACT,
  });
  await fanOutResults(vouchers.env, vouchers.s.campaignId);
  const won = (await awardsOf(app.db, vouchers.s.campaignId)).find((a) => a.outcome === 'won')!;
  const goods = await drawnLottery(app, { applicants: 40, campaign: OFFICE_CONTACT });
  await fanOutResults(goods.env, goods.s.campaignId);
  const refused = (await awardsOf(app.db, goods.s.campaignId)).find((a) => a.outcome === 'won')!;
  await app.db('sites').where({ id: refused.site }).update({ phone: '02-555-0101' });
  await app
    .db('awards')
    .where({ campaign_id: goods.s.campaignId, public_id: refused.public_id })
    .update({ status: 'refused', refused_at: app.clock.now(), refusal_reason: 'no_id' });
  const pages: Array<[string, string, string]> = [
    ['won-voucher', vouchers.s.campaignId, won.public_id],
    ['refused', goods.s.campaignId, refused.public_id],
  ];
  for (const [name, campaignId, publicId] of pages)
    for (const w of WIDTHS)
      for (const lang of LANGS) {
        const page = await pageAt(w, { token: await residentToken(campaignId, publicId) });
        await page.goto(`${app.url}/campaigns/${campaignId}/application?lang=${lang}`);
        await seeContact(t, page, lang);
        if (w === 375) await checkPage(t, page, `the ${name} result page (${lang})`);
        await shootPage(page, `contact-result-${name}-${lang}-${w}`);
        await page.context().close();
      }
});

browserTest("a cancelled campaign's receipt names whom to ask after the operator's message", async (t) => {
  const c = await openVoucherCampaign(app, OFFICE_CONTACT);
  const person = await appliedResident(app, c.id);
  await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: admin,
    json: {
      message_ko: '예산이 바뀌어 취소합니다. 다음 달 2차 신청을 문자로 알려 드립니다.',
      message_en: 'Cancelled after a budget change. A second round next month will be announced by SMS.',
    },
  });
  for (const w of WIDTHS)
    for (const lang of LANGS) {
      const page = await pageAt(w, { token: person.token });
      await page.goto(`${app.url}/campaigns/${c.id}/application?lang=${lang}`);
      await seeContact(t, page, lang);
      if (w === 375) await checkPage(t, page, `the cancelled campaign's receipt (${lang})`);
      await shootPage(page, `contact-receipt-cancelled-${lang}-${w}`);
      await page.context().close();
    }
});

browserTest(
  'an operator sets the contact on the campaign form and in the overview, faults on their fields',
  async (t) => {
    const { id } = await createdVoucherCampaign(app, admin);
    for (const w of WIDTHS)
      for (const lang of LANGS) {
        const ko = lang === 'ko';
        const page = await pageAt(w, { staff: true });
        // the form: the fieldset, then a submit whose contact names nobody and a phone that is not one
        await page.goto(`${app.url}/admin/campaigns/${id}/edit?lang=${lang}`);
        await page.fill('#f-contact_phone', '02-CALL-US');
        await page.fill('#f-contact_hours_ko', '평일 09:00~18:00');
        await page.locator('form[novalidate] button[type=submit].primary').focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector('#error-summary');
        t.regex(
          await page.locator('#f-contact_phone-error').innerText(),
          ko ? /^숫자, 빈칸/ : /^Digits, spaces/,
        );
        t.regex(
          await page.locator('#f-contact_name_ko-error').innerText(),
          ko ? /담당 기관/ : /Name the office/,
        );
        t.true((await width(page)) <= w, 'nothing wider than the screen');
        if (w === 375) await checkPage(t, page, `the campaign form with contact faults (${lang})`);
        await page.locator('#contact-fields').scrollIntoViewIfNeeded();
        await shootPage(page, `contact-form-errors-${lang}-${w}`);

        // the overview: none yet, then its own box refused with an email that is not one
        await page.goto(`${app.url}/admin/campaigns/${id}?lang=${lang}`);
        t.true(await page.locator('#no-contact').isVisible());
        await page.locator('#contact-box > summary').click();
        for (const [f, v] of Object.entries({ ...OFFICE_CONTACT, contact_email: 'voucher@junggu' }))
          await page.fill(`#f-${f}`, v);
        await page.locator('#contact-box button[type=submit]').click();
        await page.waitForSelector('#f-contact_email-error');
        t.true(await page.locator('#contact-box').evaluate((d) => (d as HTMLDetailsElement).open));
        if (w === 375) await checkPage(t, page, `the overview's contact box with a fault (${lang})`);
        await shootPage(page, `contact-box-errors-${lang}-${w}`);
        await page.fill('#f-contact_email', OFFICE_CONTACT.contact_email);
        await page.locator('#contact-box button[type=submit]').click();
        await page.waitForSelector('#contact-facts');
        t.true((await width(page)) <= w, 'nothing wider than the screen');
        await shootPage(page, `contact-overview-${lang}-${w}`);
        await app.request('PUT', `/api/admin/campaigns/${id}/contact`, { as: admin, json: {} }); // none again
        await page.context().close();
      }
  },
);
