// The PortOne V2 adapter (the real @portone/server-sdk client) against a local stand-in of PortOne's API and
// webhooks: doubled, late and out-of-order webhooks, a bad signature, a timeout during the return's confirm
// settled later by the reconciler, a payment of another amount, and a refund through cancelPayment.
import test from 'ava';
import { orderFor, type PaymentWorld, paymentWorld } from '../helpers/payments.js';
import { PORTONE_STORE } from '../helpers/portOneStandIn.js';

const worlds: PaymentWorld[] = [];
test.after.always(async () => {
  for (const w of worlds) await w.close();
});
async function world(o: Parameters<typeof paymentWorld>[0] = {}) {
  const w = await paymentWorld({ provider: 'portone', ...o });
  worlds.push(w);
  return w;
}

const paymentIdOf = async (w: PaymentWorld, orderId: string) =>
  (await w.app.db('orders').where({ id: orderId }).first()).payment_id as string;
const stateOf = async (w: PaymentWorld, orderId: string) =>
  (await w.app.db('orders').where({ id: orderId }).first()).state as string;

test('the order is pre-registered at PortOne with the server amount and its checkout page opens PortOne', async (t) => {
  const w = await world();
  const res = await orderFor(w, 0, 'portone-key-0001');
  t.is(res.status, 201, res.text);
  const pid = await paymentIdOf(w, res.json.order.id);
  t.is(w.portone!.payments.get(pid)?.total, res.json.order.amount);
  t.regex(res.json.order.checkout_url, /\/payments\/portone\/checkout\/fa-/);
  const page = await w.app.request('GET', new URL(res.json.order.checkout_url).pathname, {
    headers: { accept: 'text/html' },
  });
  t.is(page.status, 200);
  t.true(page.text.includes('https://cdn.portone.io/v2/browser-sdk.js'));
  t.true(page.text.includes(PORTONE_STORE));
  t.regex(page.headers.get('content-security-policy')!, /script-src 'self' https:\/\/cdn\.portone\.io/);
});

test('a doubled webhook settles once; a late Ready after Paid moves nothing back; one issue', async (t) => {
  const w = await world();
  const res = await orderFor(w, 1, 'portone-key-0002');
  const pid = await paymentIdOf(w, res.json.order.id);
  w.portone!.pay(pid);
  const hook = `${w.app.url}/webhooks/payments/portone`;
  const first = await w.portone!.sendWebhook(hook, 'Transaction.Paid', pid, { id: 'msg_dup_1' });
  t.is(first.status, 200, first.body);
  t.is(await stateOf(w, res.json.order.id), 'paid');
  const again = await w.portone!.sendWebhook(hook, 'Transaction.Paid', pid, { id: 'msg_dup_1' });
  t.is(again.status, 200);
  t.true(JSON.parse(again.body).duplicate);
  const stored = await w.app.db('payment_webhooks').where({ webhook_id: 'msg_dup_1' }).first();
  t.is(stored.deliveries, 2);
  // Out of order: the Ready that should have come first arrives last.
  const late = await w.portone!.sendWebhook(hook, 'Transaction.Ready', pid);
  t.is(late.status, 200);
  t.is(await stateOf(w, res.json.order.id), 'paid');
  // The browser's return, also late.
  await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  t.is(await w.runJobs(), 1);
  t.is(await stateOf(w, res.json.order.id), 'issued');
  const paidAudits = await w.app.db('audit_log').where({ action: 'order.paid' });
  t.is(paidAudits.length, 1);
  t.is(
    (await w.app.db('vouchers').where({ order_id: res.json.order.id })).length,
    w.winners[1]!.amount / 10_000,
  );
});

test('a webhook with a bad signature (or none) is 403 and stores nothing', async (t) => {
  const w = await world();
  const res = await orderFor(w, 2, 'portone-key-0003');
  const pid = await paymentIdOf(w, res.json.order.id);
  w.portone!.pay(pid);
  const hook = `${w.app.url}/webhooks/payments/portone`;
  const forged = await w.portone!.sendWebhook(hook, 'Transaction.Paid', pid, {
    secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}`,
  });
  t.is(forged.status, 403);
  t.is(JSON.parse(forged.body).error.code, 'invalid_signature');
  const bare = await fetch(hook, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'Transaction.Paid', data: { paymentId: pid } }),
  });
  t.is(bare.status, 403);
  t.is((await w.app.db('payment_webhooks')).length, 0);
  t.is(await stateOf(w, res.json.order.id), 'pending');
  t.is((await w.app.db('audit_log').where('action', 'like', 'order.webhook%')).length, 0);
});

test('PortOne times out during the return: the order stays pending, then the reconciler settles it', async (t) => {
  const w = await world({ timeoutMs: 300 });
  const res = await orderFor(w, 3, 'portone-key-0004');
  const pid = await paymentIdOf(w, res.json.order.id);
  w.portone!.pay(pid);
  w.portone!.mode = 'hang';
  const back = await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  t.is(back.status, 303);
  t.regex(back.headers.get('location')!, /pay=pending/);
  t.is(await stateOf(w, res.json.order.id), 'pending');
  // Still hanging at the reconciler's first look: nothing changes, and it is not expired.
  w.app.clock.advance(60_000);
  const r1 = await w.reconcile();
  t.is(r1.unanswered, 1);
  t.is(await stateOf(w, res.json.order.id), 'pending');
  w.portone!.mode = 'ok';
  w.app.clock.advance(60 * 60_000); // past its hold too: the provider's answer (paid) wins over expiry
  const r2 = await w.reconcile();
  t.is(r2.settled, 1);
  t.is(r2.expired, 0);
  t.is(await stateOf(w, res.json.order.id), 'paid');
  t.is(await w.runJobs(), 1);
  t.is(await stateOf(w, res.json.order.id), 'issued');
});

test('a PortOne decline fails the order with its reason; a 500 from PortOne changes nothing', async (t) => {
  const w = await world();
  const res = await orderFor(w, 4, 'portone-key-0005');
  const pid = await paymentIdOf(w, res.json.order.id);
  w.portone!.mode = '500';
  await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  t.is(await stateOf(w, res.json.order.id), 'pending');
  w.portone!.mode = 'ok';
  w.portone!.decline(pid);
  await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  const row = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(row.state, 'failed');
  t.is(row.failure_code, 'INSUFFICIENT_FUNDS');
});

test('a payment of another amount is never issued: the order fails and the money goes back through cancelPayment', async (t) => {
  const w = await world();
  const res = await orderFor(w, 5, 'portone-key-0006');
  const pid = await paymentIdOf(w, res.json.order.id);
  w.portone!.pay(pid, 100); // a tampered checkout
  await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
  let row = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(row.state, 'failed');
  t.is(row.refund_reason, 'amount_mismatch');
  t.is(await w.runJobs(), 1);
  row = await w.app.db('orders').where({ id: res.json.order.id }).first();
  t.is(row.state, 'refunded');
  t.is(Number(row.refunded_amount), 100);
  t.is(w.portone!.payments.get(pid)?.status, 'CANCELLED');
  t.true(w.portone!.calls.includes(`POST /payments/${pid}/cancel`));
  t.is((await w.app.db('vouchers').where({ order_id: row.id })).length, 0);
  const award = await w.app
    .db('awards')
    .where({ campaign_id: w.campaignId, public_id: w.winners[5]!.public_id })
    .first();
  t.is(award.status, 'won', 'the award is still the winner’s to buy');
});
