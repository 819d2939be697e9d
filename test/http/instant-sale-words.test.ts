// An instant sale's resident pages in a sale's words: nobody applies in a sale, they queue and buy. The verification
// page of a closed or cancelled sale asks for the phone or email used to queue or buy, to see the purchase; the
// birth-year weekday rule (출생연도 5부제) sets the days one may buy on. A lottery's pages keep their words (applied
// with, see the result, the days one may apply on).
import test, { type ExecutionContext } from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;
const html = { accept: 'text/html' };

test.before(async () => {
  app = await startTestApp({ intake: { rulesTtlMs: 0 } }); // 2026-12-01 00:00 KST
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

const text = (s: string) =>
  s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** A campaign made and scheduled over the admin API, as an operator would. */
async function scheduled(overrides: Record<string, unknown>): Promise<string> {
  const res = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), overrides),
  });
  if (res.status !== 201) throw new Error(res.text);
  const id = res.json.campaign.id as string;
  const s = await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
  if (s.status !== 200) throw new Error(s.text);
  return id;
}

/** What the pages say (every sentence, ko and en) and never say, for a sale or for a lottery. */
interface Words {
  ko: string[];
  en: string[];
  not: RegExp;
}

/**
 * A sale and a lottery, each made with its `fields` and brought to a state by `bring`: each of `pages` says its own
 * words. The verification page (`/apply`, signed out) is where the campaign page's "see my purchase/result" leads.
 */
async function saleAndLotterySay(
  t: ExecutionContext,
  o: {
    fields?: { sale?: Record<string, unknown>; lottery?: Record<string, unknown> };
    bring?: (id: string) => Promise<void>;
    pages: (id: string) => string[];
  },
  words: { sale: Words; lottery: Words },
) {
  for (const [mode, w] of [
    ['instant', words.sale],
    ['lottery', words.lottery],
  ] as const) {
    const id = await scheduled({ mode, ...(mode === 'instant' ? o.fields?.sale : o.fields?.lottery) });
    await o.bring?.(id);
    for (const path of o.pages(id))
      for (const lang of ['ko', 'en'] as const) {
        const page = text((await app.request('GET', `${path}?lang=${lang}`, { headers: html })).text);
        for (const sentence of w[lang])
          t.true(page.includes(sentence), `${mode} ${path}: ${sentence}\n${page}`);
        t.notRegex(page, w.not, `${mode} ${path}`);
      }
  }
}

const verifyPage = (id: string) => [`/campaigns/${id}/apply`];
const SALE_NOT = /신청할 때 쓴|추첨|applied with|draw/;
const LOTTERY_NOT = /구매|queue or buy/;

test.serial(
  'a closed sale’s verification page asks for the phone or email used to queue or buy',
  async (t) => {
    await saleAndLotterySay(
      t,
      {
        bring: async (id) => {
          await app.db('campaigns').where({ id }).update({ state: 'closed' });
        },
        pages: verifyPage,
      },
      {
        sale: {
          ko: [
            '구매 내역과 상품권을 보려면 구매하거나 대기할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
          ],
          en: ['To see your purchase and vouchers, verify with the phone or email you used to queue or buy.'],
          not: SALE_NOT,
        },
        lottery: {
          ko: ['내 결과를 보려면 신청할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.'],
          en: ['To see your result, verify with the phone or email you applied with.'],
          not: LOTTERY_NOT,
        },
      },
    );
  },
);

test.serial('a cancelled sale’s verification page says what its cancel did to purchases', async (t) => {
  await saleAndLotterySay(
    t,
    {
      bring: async (id) => {
        const res = await app.request('POST', `/api/admin/campaigns/${id}/cancel`, {
          as: admin,
          json: { reason: 'cancelled in a test' },
        });
        t.is(res.status, 200, res.text);
      },
      pages: verifyPage,
    },
    {
      sale: {
        ko: [
          '이 판매는 취소되었습니다. 결제가 끝나지 않은 구매는 함께 취소되었고, 이미 결제된 구매는 그대로 유효합니다. ' +
            '구매 내역을 보려면 구매하거나 대기할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
        ],
        en: [
          'This sale was cancelled: a purchase not yet paid was cancelled with it, and one already paid stands. ' +
            'To see your purchase, verify with the phone or email you used to queue or buy.',
        ],
        not: SALE_NOT,
      },
      lottery: {
        ko: [
          '이 사업은 취소되었습니다. 추첨(배정)은 진행되지 않으며, 결제된 금액은 없습니다. ' +
            '신청 내역을 보려면 신청할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
        ],
        en: [
          'This campaign was cancelled: there will be no draw or allocation, and nothing was charged. ' +
            'To see your application, verify with the phone or email you applied with.',
        ],
        not: LOTTERY_NOT,
      },
    },
  );
});

/** Monday 7 to Wednesday 9 December (Seoul): birth years ending in 4, 9, 5 or 0 have no day in it. */
const SHORT_WINDOW = {
  eligibility: { regions: [], birth_year_rotation: true },
  opens_at: '2026-12-07T09:00',
  closes_at: '2026-12-09T18:00',
};
/** A lottery's own moments after that window. */
const DRAW_AFTER = {
  draw_at: '2026-12-09T19:00',
  claim_opens_at: '2026-12-10T09:00',
  claim_closes_at: '2026-12-31T18:00',
};

test.serial(
  'the birth-year weekday rule sets the days one may buy on in a sale, on its page and its verification page',
  async (t) => {
    await saleAndLotterySay(
      t,
      {
        fields: { sale: SHORT_WINDOW, lottery: { ...SHORT_WINDOW, ...DRAW_AFTER } },
        pages: (id) => [`/campaigns/${id}`, `/campaigns/${id}/apply`],
      },
      {
        sale: {
          ko: [
            '평일에는 출생연도 끝자리에 따라 구매할 수 있는 요일이 정해집니다 (5부제: 1·6 월요일, 2·7 화요일, ' +
              '3·8 수요일, 4·9 목요일, 5·0 금요일). 주말에는 누구나 구매할 수 있습니다.',
            '이 판매 기간에 구매할 수 있는 때 (한국 표준시):',
            '12월 7일(월) 09:00부터 24:00까지 출생연도 끝자리 1 또는 6',
            '출생연도 끝자리가 4 또는 9, 5 또는 0인 분은 이 판매의 남은 기간에 구매할 수 있는 날이 없습니다.',
          ],
          en: [
            'On weekdays you may buy only on the day set by the last digit of your birth year',
            'At weekends anyone may buy.',
            "When you can buy within this sale's period (Korean Standard Time):",
            "People whose birth year ends in 4 or 9, 5 or 0 have no day left to buy on within this sale's period.",
          ],
          not: /신청할 수|신청 기간|may apply|can apply|to apply on/,
        },
        lottery: {
          ko: [
            '평일에는 출생연도 끝자리에 따라 신청할 수 있는 요일이 정해집니다',
            '이 사업의 신청 기간에 신청할 수 있는 때 (한국 표준시):',
            '출생연도 끝자리가 4 또는 9, 5 또는 0인 분은 이 사업의 남은 신청 기간에 신청할 수 있는 날이 없습니다.',
          ],
          en: [
            'At weekends anyone may apply.',
            "When you can apply within this campaign's window (Korean Standard Time):",
            "People whose birth year ends in 4 or 9, 5 or 0 have no day left to apply on within this campaign's window.",
          ],
          not: /구매할 수|may buy|can buy/,
        },
      },
    );
  },
);

test.serial('a sale’s rule comes round each week until the sale closes, not the applications', async (t) => {
  const long = { eligibility: SHORT_WINDOW.eligibility, opens_at: '2026-12-07T09:00' };
  await saleAndLotterySay(
    t,
    {
      fields: {
        sale: { ...long, closes_at: '2026-12-20T18:00' },
        lottery: {
          ...long,
          closes_at: '2026-12-20T18:00',
          ...DRAW_AFTER,
          draw_at: '2026-12-20T19:00',
          claim_opens_at: '2026-12-21T09:00',
        },
      },
      pages: (id) => [`/campaigns/${id}`],
    },
    {
      sale: {
        ko: ['판매 마감까지 매주 같은 요일이 돌아옵니다.'],
        en: ['The same days come round each week until the sale closes.'],
        not: /신청 마감까지|until the window closes/,
      },
      lottery: {
        ko: ['신청 마감까지 매주 같은 요일이 돌아옵니다.'],
        en: ['The same days come round each week until the window closes.'],
        not: /판매 마감까지|until the sale closes/,
      },
    },
  );
});
