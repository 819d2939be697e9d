// A sale sold out for good (nothing left, nothing held that could come back) says so on the campaign list, its
// page and its queue page, to anyone without a place: it no longer reads "open" with a countdown, nor sends a
// visitor through verification to be told "sold out" at the end. While a buyer still holds the last unit, it can
// come back, and the pages still offer the queue.
import test from 'ava';
import { buyers, instantWorld, payAtCheckout, turnToBuy } from '../helpers/instant.js';

const html = { accept: 'text/html' };

test('the last unit paid for, the pages say sold out and offer no queue; held, they still do', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app, tick } = w;
  const sale = await turnToBuy(w, 1, 'sold-out-pages-1');
  const bought = await app.request('POST', `/api/campaigns/${sale.campaignId}/purchases`, {
    headers: {
      ...sale.headers,
      'idempotency-key': sale.input.idempotency_key,
      'x-admission-token': sale.input.admission_token,
    },
    json: { quantity: sale.input.quantity },
  });
  t.is(bought.status, 201, bought.text);
  app.deps.intake.rules.forget(sale.campaignId);

  const page = () => app.request('GET', `/campaigns/${sale.campaignId}`, { headers: html });
  const queuePage = (headers: Record<string, string> = {}) =>
    app.request('GET', `/campaigns/${sale.campaignId}/queue`, { headers: { ...html, ...headers } });
  const held = await page();
  t.regex(held.text, new RegExp(`href="/campaigns/${sale.campaignId}/queue"`), 'held: it may come back');
  t.notRegex(held.text, /id="sold-out"/);
  t.regex(
    held.text,
    /<span class="badge state-open">판매 중<\/span>/,
    'on sale, not "open for applications"',
  );
  t.regex(held.text, /id="my-place">내 대기 순서 보기</);

  await payAtCheckout(app, bought.json.purchase.order.checkout_url);
  await tick();

  const over = await page();
  t.regex(over.text, /<span class="badge state-closed">매진<\/span>/);
  t.regex(over.text, /id="sold-out">준비한 수량이 모두 팔렸습니다/);
  t.notRegex(over.text, /class="button primary big"/, 'no call to queue');
  t.notRegex(over.text, /class="countdown/, 'no countdown to the close');
  t.notRegex(over.text, /id="my-place"/, 'no place to take: a buyer’s purchase is linked instead');
  const en = await app.request('GET', `/campaigns/${sale.campaignId}?lang=en`, { headers: html });
  t.regex(en.text, /<span class="badge state-closed">Sold out<\/span>/);
  const list = await app.request('GET', '/campaigns', { headers: html });
  t.regex(list.text, /<span class="badge state-closed">매진<\/span>/);

  const visitor = await queuePage();
  t.regex(visitor.text, /id="sale-sold-out">준비한 수량이 모두 팔려/);
  t.regex(
    visitor.text,
    /구매하신 분은 본인 확인을 하면/,
    'a buyer signed out may still verify to see theirs',
  );
  const [latecomer] = await buyers(app, 1);
  const late = await queuePage(latecomer!.headers);
  t.regex(late.text, /id="sale-sold-out"/);
  t.notRegex(late.text, /action="\/campaigns\/[^"]+\/queue"/, 'no join form');
  const buyer = await queuePage(sale.headers);
  t.notRegex(buyer.text, /id="sale-sold-out"/, 'the buyer sees their purchase');
  t.regex(buyer.text, /결제를 마쳤습니다/);
});
