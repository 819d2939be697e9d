// An instant sale's resident pages in a sale's words: nobody applies in a sale, they queue and buy. The verification
// page of a closed or cancelled sale asks for the phone or email used to queue or buy, to see the purchase; a
// lottery's page keeps its words (applied with, see the result).
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

/** The verification page a signed-out resident meets (the campaign page's "see my purchase/result" leads there). */
const verifyPage = async (id: string, lang: 'ko' | 'en') =>
  text((await app.request('GET', `/campaigns/${id}/apply?lang=${lang}`, { headers: html })).text);

/** What the page says (ko, en) and never says, for a sale and for a lottery: a sale's never that one applied. */
interface Words {
  ko: string;
  en: string;
  not: RegExp;
}

/** A sale and a lottery brought to a state by `bring`: each one's verification page says its own words. */
async function verifySays(
  t: ExecutionContext,
  bring: (id: string) => Promise<void>,
  words: { sale: Words; lottery: Words },
) {
  for (const [mode, w] of [
    ['instant', words.sale],
    ['lottery', words.lottery],
  ] as const) {
    const id = await scheduled({ mode });
    await bring(id);
    for (const lang of ['ko', 'en'] as const) {
      const page = await verifyPage(id, lang);
      t.true(page.includes(w[lang]), `${mode}: ${page}`);
      t.notRegex(page, w.not, mode);
    }
  }
}

const SALE_NOT = /신청할 때 쓴|추첨|applied with|draw/;
const LOTTERY_NOT = /구매|queue or buy/;

test.serial(
  'a closed sale’s verification page asks for the phone or email used to queue or buy',
  async (t) => {
    await verifySays(
      t,
      async (id) => {
        await app.db('campaigns').where({ id }).update({ state: 'closed' });
      },
      {
        sale: {
          ko: '구매 내역과 상품권을 보려면 구매하거나 대기할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
          en: 'To see your purchase and vouchers, verify with the phone or email you used to queue or buy.',
          not: SALE_NOT,
        },
        lottery: {
          ko: '내 결과를 보려면 신청할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
          en: 'To see your result, verify with the phone or email you applied with.',
          not: LOTTERY_NOT,
        },
      },
    );
  },
);

test.serial('a cancelled sale’s verification page says what its cancel did to purchases', async (t) => {
  await verifySays(
    t,
    async (id) => {
      const res = await app.request('POST', `/api/admin/campaigns/${id}/cancel`, {
        as: admin,
        json: { reason: 'cancelled in a test' },
      });
      t.is(res.status, 200, res.text);
    },
    {
      sale: {
        ko:
          '이 판매는 취소되었습니다. 결제가 끝나지 않은 구매는 함께 취소되었고, 이미 결제된 구매는 그대로 유효합니다. ' +
          '구매 내역을 보려면 구매하거나 대기할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
        en:
          'This sale was cancelled: a purchase not yet paid was cancelled with it, and one already paid stands. ' +
          'To see your purchase, verify with the phone or email you used to queue or buy.',
        not: SALE_NOT,
      },
      lottery: {
        ko:
          '이 사업은 취소되었습니다. 추첨(배정)은 진행되지 않으며, 결제된 금액은 없습니다. ' +
          '신청 내역을 보려면 신청할 때 쓴 휴대전화나 메일로 본인 확인을 해 주세요.',
        en:
          'This campaign was cancelled: there will be no draw or allocation, and nothing was charged. ' +
          'To see your application, verify with the phone or email you applied with.',
        not: LOTTERY_NOT,
      },
    },
  );
});
