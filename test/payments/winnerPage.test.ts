// What a voucher winner's own page says at each step of paying, in Korean and English, through the real app: a
// mobile voucher is paid for on the page (no pickup site, claim code or QR); an order left at the checkout is "not
// paid yet" with the way back to it, and only a payment reported by the provider is "being confirmed"; paid, the
// vouchers are coming; issued, they are the winner's vouchers; nothing says "collected". The development checkout
// names the order, and a decline gives its reason, in the reader's language.
import test from 'ava';
import { ProviderUnavailable } from '../../src/payments/provider.js';
import { type PaymentWorld, paymentWorld } from '../helpers/payments.js';

let w: PaymentWorld;
test.before(async () => {
  w = await paymentWorld();
});
test.after.always(async () => {
  await w?.close();
});

const mine = (lang: 'ko' | 'en' = 'ko', query = '') =>
  `/campaigns/${w.campaignId}/application${lang === 'en' ? `?lang=en${query && `&${query}`}` : query && `?${query}`}`;

async function page(i: number, lang: 'ko' | 'en' = 'ko', query = '') {
  const res = await w.app.request('GET', mine(lang, query), {
    headers: { ...w.winners[i]!.headers, accept: 'text/html' },
  });
  if (res.status !== 200) throw new Error(`page ${res.status}`);
  return res.text;
}

/** The page's form: the order is made and the browser sent to the checkout, whose path is returned. */
async function pay(i: number): Promise<string> {
  const form = await w.app.request('GET', mine(), {
    headers: { ...w.winners[i]!.headers, accept: 'text/html' },
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const key = /name="idempotency_key" value="([^"]+)"/.exec(form.text)![1]!;
  const res = await w.app.request('POST', `/campaigns/${w.campaignId}/award/pay`, {
    headers: { ...w.winners[i]!.headers, accept: 'text/html' },
    form: { _csrf: csrf, idempotency_key: key },
  });
  if (res.status !== 303) throw new Error(`pay ${res.status} ${res.text}`);
  return new URL(res.headers.get('location')!).pathname;
}

const heading = (html: string, tag: 'h1' | 'h2', id = '') =>
  new RegExp(`<${tag}[^>]*${id && `id="${id}"`}[^>]*>([^<]*)</${tag}>`).exec(html)?.[1];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test.serial(
  'before paying: the price and the pay button, with no pickup site, claim code or QR',
  async (t) => {
    const ko = await page(0);
    t.is(heading(ko, 'h1'), '당첨되었습니다');
    t.is(heading(ko, 'h2', 'purchase-title'), '상품권 구매');
    t.true(ko.includes('id="pay-button"'));
    t.regex(text(ko), /받는 방법 모바일 상품권: 아래에서 결제하면/);
    t.notRegex(
      ko,
      /수령처|수령번호|수령 기한|class="qr"|id="claim-code"|상품권을 구매할 때 이 번호가 필요합니다/,
    );
    const en = await page(0, 'en');
    t.regex(text(en), /How you get them Mobile voucher: pay below/);
    t.notRegex(en, /Where to collect|Claim code|Collect by|class="qr"|You need this code/);
  },
);

test.serial('an order left at the checkout is not paid yet, with the way back to the checkout', async (t) => {
  const checkout = await pay(0); // and the winner leaves the checkout without paying
  for (const [lang, words] of [
    ['ko', ['주문 상태 결제 전', '아직 결제하지 않았습니다.', '결제 계속하기']],
    ['en', ['Order status Not paid yet', 'Not paid yet.', 'Continue to payment']],
  ] as const) {
    const html = await page(0, lang);
    for (const word of words) t.true(text(html).includes(word), `${lang}: ${word}`);
    t.true(html.includes(`href="${w.app.url}${checkout}" id="continue-payment"`));
    t.notRegex(
      html,
      /결제를 확인하고|결제 확인 중|confirming your payment|Confirming payment|Awaiting payment|결제 대기/,
    );
  }
});

test.serial("the development checkout names the order in the reader's language", async (t) => {
  const checkout = await w.app.request('GET', `${await checkoutOf(0)}?lang=en`, {
    headers: { accept: 'text/html' },
  });
  const face = w.winners[0]!.amount;
  t.true(checkout.text.includes(`Vouchers, KRW ${face.toLocaleString('en')} (`), checkout.text);
  t.notRegex(checkout.text, /상품권/);
  const ko = await w.app.request('GET', await checkoutOf(0), { headers: { accept: 'text/html' } });
  t.true(ko.text.includes(`상품권 ${face.toLocaleString('ko-KR')}원 (`));
  // the provider's own record keeps the one Korean name
  const [stored] = await w.app.db('dev_payments').pluck('order_name');
  t.is(stored, `상품권 ${face.toLocaleString('ko-KR')}원`);
});

async function checkoutOf(i: number): Promise<string> {
  const html = await page(i);
  return new URL(/href="([^"]+)" id="continue-payment"/.exec(html)![1]!).pathname;
}

test.serial(
  'a payment the provider reported but could not yet confirm is "being confirmed", with no second checkout',
  async (t) => {
    const checkout = await pay(1);
    const lookup = w.dev!.lookup.bind(w.dev);
    w.dev!.lookup = async () => {
      throw new ProviderUnavailable('the provider does not answer');
    };
    try {
      const back = await w.app.request('POST', checkout, {
        form: { choice: 'pay' },
        headers: { accept: 'text/html' },
      });
      await w.dev!.settled(); // the paid webhook came, its lookup failed: the order is still open
      const order = await w.app.db('orders').where({ subject: w.winners[1]!.public_id }).first();
      t.is(order.state, 'pending');
      const ko = await page(1);
      t.true(text(ko).includes('주문 상태 결제 확인 중'));
      t.true(ko.includes('결제하신 내역을 결제 회사에 확인하고 있습니다. 다시 결제하지 말고'));
      t.false(ko.includes('id="continue-payment"'), 'no way to pay twice');
      t.notRegex(ko, /아직 결제하지 않았습니다/);
      t.regex(await page(1, 'en'), /We are confirming your payment with the payment company/);
      // Back from the checkout with no failure while the provider does not answer: the return says so too.
      const returned = await w.app.request('GET', new URL(back.headers.get('location')!).pathname, {
        headers: { accept: 'text/html' },
      });
      t.regex(returned.headers.get('location')!, /\/application\?pay=checking#purchase$/);
    } finally {
      w.dev!.lookup = lookup;
    }
  },
);

test.serial(
  'a return from a checkout left unpaid, with the provider answering, is not paid yet',
  async (t) => {
    // winner 0's order is still open at the provider (READY): the return asks and is told so
    const order = await w.app.db('orders').where({ subject: w.winners[0]!.public_id }).first();
    const returned = await w.app.request('GET', `/payments/return/${order.id}`, {
      headers: { accept: 'text/html' },
    });
    t.regex(returned.headers.get('location')!, /\?pay=pending#purchase$/);
    t.true((await page(0, 'ko', 'pay=pending')).includes('아직 결제하지 않았습니다.'));
  },
);

test.serial("a decline gives its reason in the reader's language only", async (t) => {
  const checkout = await pay(2);
  const back = await w.app.request('POST', checkout, {
    form: { choice: 'decline' },
    headers: { accept: 'text/html' },
  });
  await w.app.request(
    'GET',
    new URL(back.headers.get('location')!).pathname + new URL(back.headers.get('location')!).search,
    {
      headers: { accept: 'text/html' },
    },
  );
  t.is((await w.app.db('orders').where({ subject: w.winners[2]!.public_id }).first()).state, 'failed');
  const en = text(await page(2, 'en'));
  t.true(en.includes('The payment was not approved (a test decline at the development checkout).'), en);
  t.notRegex(en, /[가-힣]+ ?\(개발용|카드사/);
  t.true(text(await page(2)).includes('결제가 승인되지 않았습니다 (카드사 승인 거절 (개발용 결제)).'));
  // A reason the catalogue does not know, in Korean (as a Korean card company words it): not shown in English.
  await w.app.db('orders').where({ subject: w.winners[2]!.public_id }).update({
    failure_code: '0051',
    failure_message: '잔액 부족',
  });
  t.true(
    text(await page(2, 'en')).includes(
      'The payment was not approved. You may try again before the deadline.',
    ),
  );
  t.true(text(await page(2)).includes('결제가 승인되지 않았습니다 (잔액 부족).'));
});

test.serial(
  'paid: "you have paid" and the vouchers are coming; issued: your vouchers; never "collected"',
  async (t) => {
    const checkout = await pay(3);
    const back = await w.app.request('POST', checkout, {
      form: { choice: 'pay' },
      headers: { accept: 'text/html' },
    });
    const u = new URL(back.headers.get('location')!);
    await w.app.request('GET', u.pathname + u.search, { headers: { accept: 'text/html' } });
    const paid = await page(3);
    t.is(heading(paid, 'h1'), '결제했습니다');
    t.is(heading(paid, 'h2', 'purchase-title'), '결제 완료: 상품권을 발급하고 있습니다');
    t.regex(text(paid), /결제 시각 \d{4}-\d\d-\d\d/);
    t.notRegex(paid, /수령했습니다|수령이 끝났습니다|수령 시각|상품권 구매/);
    const paidEn = await page(3, 'en');
    t.is(heading(paidEn, 'h1'), 'You have paid');
    t.is(heading(paidEn, 'h2', 'purchase-title'), 'Paid: your vouchers are coming');
    t.notRegex(paidEn, /Collected|Collection is complete|Buy your vouchers/);

    t.is(await w.runJobs(), 1);
    const issued = await page(3);
    t.is(heading(issued, 'h1'), '상품권이 발급되었습니다');
    t.is(heading(issued, 'h2', 'purchase-title'), '내 상품권');
    t.true(issued.includes('class="voucher-number"'));
    t.notRegex(issued, /수령했습니다|상품권 구매|발급된 상품권<\/h3>/);
    const issuedEn = await page(3, 'en');
    t.is(heading(issuedEn, 'h1'), 'Your vouchers are issued');
    t.is(heading(issuedEn, 'h2', 'purchase-title'), 'Your vouchers');
    t.notRegex(issuedEn, /Buy your vouchers|Collected/);
  },
);
