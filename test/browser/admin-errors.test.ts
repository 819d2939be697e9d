// biome-ignore-all lint/performance/useDomNodeTextContent: the tests read the text as rendered, as a person sees it
// An operator's faulty submits in headless Chromium, Korean and English, at 375 px and on a desktop: the campaign
// form names every fault at once on its field, and the pickup-slot table marks the cell at fault. axe-core finds no
// serious or critical problem on them. Screenshots go to SCREENSHOT_DIR.
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { checkPage, shootPage } from '../helpers/browserJourney.js';
import { browserSuite } from '../helpers/chromium.js';
import { buildGoodsCampaign, buildVoucherCampaign } from '../helpers/factories.js';

const suite = browserSuite(
  'test/browser/admin-errors.test.ts',
  'Admin form errors in a browser and with axe-core',
);
const test = anyTest as TestFn;
const browserTest = suite.available ? test.serial : test.skip;

let app: TestApp;
let browser: Browser | undefined;
let admin: StaffAuth;
let goodsId: string;
let listId: string;

test.before(async () => {
  if (!suite.available) return;
  app = await startTestApp();
  admin = await app.staff('admin');
  await app.request('POST', '/api/admin/sites/import', {
    as: admin,
    json: { csv: 'id,name_ko,name_en\nERR-1,오류약국,Fault Pharmacy' },
  });
  const goods = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildGoodsCampaign(app.clock.now(), ['ERR-1'], { groups: [] }),
  });
  goodsId = goods.json.campaign.id;
  const listed = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), {
      groups: [{ name: 'basic', name_ko: '기초생활수급자', reserved: 0, weight: 2, check: 'list' }],
    }),
  });
  listId = listed.json.campaign.id;
  browser = await suite.launch();
});
test.after.always(async () => {
  await browser?.close();
  await app?.close();
});

async function adminPage(width: number): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width, height: 800 },
    isMobile: width < 500,
    extraHTTPHeaders: { authorization: `Bearer ${admin.token}` },
  });
  return context.newPage();
}

const errorOf = (page: Page, field: string) => page.locator(`#f-${field}-error`).innerText();

browserTest('the campaign form names every fault at once, on its field, in the page language', async (t) => {
  for (const width of [375, 1280]) {
    for (const lang of width === 375 ? (['ko', 'en'] as const) : (['ko'] as const)) {
      const page = await adminPage(width);
      await page.goto(`${app.url}/admin/campaigns/new?lang=${lang}`);
      await page.fill('#f-title_en', 'Faulty');
      await page.fill('#f-opens_at', '2026-12-02T09:00');
      await page.fill('#f-closes_at', '2026-12-01T09:00');
      await page.fill('#f-draw_at', '2026-12-04T19:00');
      await page.fill('#f-claim_opens_at', '2026-12-04T18:00');
      await page.fill('#f-claim_closes_at', '2026-12-31T18:00');
      await page.fill('#f-total', 'lots');
      await page.fill('#f-denomination', '10000');
      await page.fill('#f-per_person_max', '25000');
      await page.fill('#f-min_age', '70');
      await page.fill('#f-max_age', '60');
      // the button, as a keyboard reaches it (a date field's picker may still cover it after filling)
      await page.locator('form[novalidate] button[type=submit].primary').focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#error-summary');
      const ko = lang === 'ko';
      t.is(
        await errorOf(page, 'code'),
        ko
          ? '영문·숫자 3~12자로 적어 주세요. 문자 신청에 쓰입니다.'
          : '3 to 12 letters or digits, used in SMS commands',
      );
      t.is(await errorOf(page, 'title_ko'), ko ? '입력해 주세요.' : 'Required');
      t.is(await errorOf(page, 'total'), ko ? '정수로 적어 주세요.' : 'Must be a whole number');
      t.is(
        await errorOf(page, 'closes_at'),
        ko ? '신청 마감은 신청 시작보다 뒤여야 합니다.' : 'The application window must end after it starts',
      );
      t.is(
        await errorOf(page, 'claim_opens_at'),
        ko ? '수령 시작은 추첨 뒤여야 합니다.' : 'Collection cannot start before the draw',
      );
      t.is(
        await errorOf(page, 'per_person_max'),
        ko
          ? '1인당 최대는 지급 단위의 배수여야 합니다.'
          : 'The denomination must divide the per-person limit',
      );
      t.is(
        await errorOf(page, 'max_age'),
        ko
          ? '최대 나이가 최소 나이보다 작을 수 없습니다.'
          : 'The maximum age must not be below the minimum age',
      );
      t.is(await page.locator('#error-summary li').count(), 7);
      await shootPage(page, `admin-campaign-errors-${lang}-${width}`);
      // wide tables scroll in their own box; the page itself never scrolls sideways
      t.true(
        (await page.evaluate(() => document.documentElement.scrollWidth)) <= width,
        'nothing wider than the screen',
      );
      if (width === 375 && ko) await checkPage(t, page, 'the campaign form with errors');
      await page.context().close();
    }
  }
});

browserTest('the pickup-slot table marks the cell at fault and names it by its heading', async (t) => {
  for (const width of [375, 1280]) {
    for (const lang of width === 375 ? (['ko', 'en'] as const) : (['ko'] as const)) {
      const page = await adminPage(width);
      await page.goto(`${app.url}/admin/campaigns/${goodsId}/slots/site/ERR-1?lang=${lang}`);
      // row 2 starts long before the claim window; row 3 has no whole capacity
      await page.fill('input[name=slot_1_starts]', '2026-01-05T09:00');
      await page.fill('input[name=slot_2_id]', 'ERR-1-S3');
      await page.fill('input[name=slot_2_starts]', '2026-12-05T09:00');
      await page.fill('input[name=slot_2_ends]', '2026-12-05T12:00');
      await page.fill('input[name=slot_2_capacity]', 'many');
      await page.click('button[type=submit].primary');
      await page.waitForSelector('#row-errors');
      const items = await page.locator('#row-errors li').allInnerTexts();
      t.deepEqual(
        items,
        lang === 'ko'
          ? [
              '2번째 줄: 시작: 수령 시간은 사업의 수령 기간 안에 있어야 합니다.',
              '3번째 줄: 수용 인원: 정수로 적어 주세요.',
            ]
          : [
              'Row 2: Starts: A pickup slot must lie inside the claim window',
              'Row 3: Capacity: Must be a whole number',
            ],
      );
      t.is(await page.locator('#slot-1-starts').getAttribute('aria-invalid'), 'true');
      t.is(await page.locator('#slot-1-id').getAttribute('aria-invalid'), null);
      t.is(await page.locator('#slot-2-capacity').getAttribute('aria-invalid'), 'true');
      if (width === 375 && lang === 'ko') await checkPage(t, page, 'the slot table with errors');
      await shootPage(page, `admin-slot-errors-${lang}-${width}`);
      await page.context().close();
    }
  }
});

browserTest(
  "a CSV csv-parse refuses, a refused group list and the helpers' form: every fault in Korean, fitting a phone",
  async (t) => {
    for (const width of [375, 1280]) {
      const page = await adminPage(width);
      const fits = async () =>
        t.true(
          (await page.evaluate(() => document.documentElement.scrollWidth)) <= width,
          'nothing wider than the screen',
        );

      await page.goto(`${app.url}/admin/sites/import`);
      await page.fill('#f-csv', 'id,name_ko,name_en\nQ-1,"큐약국,Q Pharmacy\nQ-2,둘약국,Dul Pharmacy');
      await page.locator('form[novalidate] button[type=submit].primary').click();
      await page.waitForSelector('#row-errors');
      t.deepEqual(await page.locator('#row-errors li').allInnerTexts(), [
        '3번째 줄: 큰따옴표(")로 연 칸이 닫히지 않은 채 파일이 끝났습니다. 이 줄까지의 따옴표를 확인해 주세요.',
      ]);
      await fits();
      if (width === 375) await checkPage(t, page, 'the sites import with a malformed file');
      await shootPage(page, `admin-csv-parse-ko-${width}`);

      await page.goto(`${app.url}/admin/campaigns/${listId}/groups`);
      await page.fill('#csv-basic', 'phone\n010-5554-0001\n010-5554-"0002"\nnope');
      await page.locator('form[action$="/groups/basic/list"] button[type=submit]').click();
      await page.waitForSelector('#csv-basic-error');
      t.is(
        await page.locator('#csv-basic-error').innerText(),
        '3번째 줄: 칸 중간에 큰따옴표(")가 있습니다. 칸 전체를 큰따옴표로 감싸고, 안의 따옴표는 두 번("") 적어 주세요.',
      );
      await fits();
      if (width === 375) await checkPage(t, page, 'the groups page with a refused list');
      await shootPage(page, `admin-group-list-ko-${width}`);

      await page.goto(`${app.url}/admin/proxies`);
      await page.fill('#f-phone', '010-12');
      await page.fill('#f-birth_date', '1965');
      await page.fill('#f-label', 'look \u202Ehere');
      await page.fill('#f-cap', 'lots');
      await page.locator('form[action="/admin/proxies"] button[type=submit]').click();
      await page.waitForSelector('.error-summary');
      // one submit, every fault on its field
      for (const [field, words] of [
        ['phone', '휴대전화 번호를 확인해 주세요 (예: 010-1234-5678).'],
        ['birth_date', '생년월일을 확인해 주세요 (예: 1982-03-15 또는 19820315).'],
        ['label', '글자 방향 제어 문자(U+202A-202E, U+2066-2069)가 들어 있습니다.'],
        ['cap', '1에서 500 사이의 정수로 적어 주세요.'],
      ] as const)
        t.is(await page.locator(`#f-${field}-error`).innerText(), words, field);
      // the summary in the form's order
      t.deepEqual(
        (await page.locator('.error-summary li a').allInnerTexts()).map((a) => a.trim()),
        ['도우미 휴대전화 번호', '도우미 생년월일', '소속 또는 메모', '대리 신청 가능 인원'],
      );
      await fits();
      if (width === 375) await checkPage(t, page, 'the helpers form with faults');
      await shootPage(page, `admin-proxy-errors-ko-${width}`);
      await page.context().close();
    }
  },
);

browserTest(
  'the campaign form’s beacon source at 375 px: hinted, its fault on it, hidden for an instant sale',
  async (t) => {
    const page = await adminPage(375);
    await page.goto(`${app.url}/admin/campaigns/new`);
    await page.fill('#f-beacon_source', 'drand quicknet: the first round after {closes_at}');
    await page.locator('form[novalidate] button[type=submit].primary').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error-summary');
    const fields = page.locator('#beacon-fields');
    t.true(await fields.isVisible());
    t.regex(
      await fields.innerText(),
      /비워 두면 서비스 기본 문장을 씁니다: 「drand quicknet[^」]+」\. 신청이 시작되는 순간/,
    );
    t.regex(await errorOf(page, 'beacon_source'), /^\{closes_at\} 자리는 서비스 기본 문장에서만 채워집니다/);
    t.true(
      (await page.evaluate(() => document.documentElement.scrollWidth)) <= 375,
      'nothing wider than the screen',
    );
    const shots = process.env.SCREENSHOT_DIR;
    if (shots) await fields.screenshot({ path: `${shots}/admin-campaign-beacon-ko-375.png` });
    await checkPage(t, page, 'the campaign form with a beacon source fault');
    // an instant sale has no draw, and no beacon to name (site.css hides the draw's fields, no script needed)
    await page.selectOption('#f-mode', 'instant');
    t.false(await fields.isVisible());
    await page.context().close();
  },
);
