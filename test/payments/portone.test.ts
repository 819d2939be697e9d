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
  t.regex(
    back.headers.get('location')!,
    /pay=checking/,
    'the provider did not answer: being confirmed, not unpaid',
  );
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

test('a refused API secret is provider_misconfigured (500) when ordering and confirming, not "try again"', async (t) => {
  const w = await world({ apiSecret: 'not-the-portone-secret' });
  const res = await orderFor(w, 0, 'portone-secret-0001');
  t.is(res.status, 500, res.text);
  t.is(res.json.error.code, 'provider_misconfigured');
  const made = await w.app.db('orders').where({ subject: w.winners[0]!.public_id }).first();
  t.is(made.state, 'created', 'nothing was registered: the order waits for a working secret');
  const back = await w.app.request('POST', `/api/payments/orders/${made.id}/confirm`, {
    headers: w.winners[0]!.headers,
  });
  t.is(back.status, 500, back.text);
  t.is(back.json.error.code, 'provider_misconfigured');
});

test('a refused API secret does not stop the reconciler: every due order is asked, none expires', async (t) => {
  const w = await world({ apiSecret: 'not-the-portone-secret' });
  for (const i of [0, 1, 2]) t.is((await orderFor(w, i, `portone-secret-100${i}`)).status, 500);
  // Past every hold: an order the provider could not speak for is still not expired.
  w.app.clock.advance(60 * 60_000);
  const r = await w.reconcile();
  t.like(r, { checked: 3, misconfigured: 3, unanswered: 0, expired: 0, settled: 0 });
  const states = await w.app.db('orders').where({ campaign_id: w.campaignId }).pluck('state');
  t.deepEqual(states, ['created', 'created', 'created']);
});

// One more world for the failures below: they run one after another, each on its own winners.
let failing: Promise<PaymentWorld> | undefined;
const failingWorld = () => {
  failing ??= world();
  return failing;
};

test.serial(
  'PortOne failing (its 500, a 502 page, PG_PROVIDER, no error type) leaves orders pending; the reconciler goes on',
  async (t) => {
    const w = await failingWorld();
    // A create while the card company does not answer: refused, and the same key opens the same order later.
    w.portone!.mode = 'pg';
    const down = await orderFor(w, 0, 'portone-down-0000');
    t.is(down.status, 503, down.text);
    t.is(down.json.error.code, 'payment_unavailable');
    const made = await w.app.db('orders').where({ subject: w.winners[0]!.public_id }).first();
    t.is(made.state, 'created');
    t.false(w.portone!.payments.has(made.payment_id), 'nothing was registered at PortOne');
    w.portone!.mode = 'ok';
    const again = await orderFor(w, 0, 'portone-down-0000');
    t.is(again.status, 201, again.text);
    t.is(again.json.order.id, made.id);
    const a = await orderFor(w, 1, 'portone-down-0001');
    const pids = [await paymentIdOf(w, again.json.order.id), await paymentIdOf(w, a.json.order.id)];
    for (const pid of pids) w.portone!.pay(pid);
    for (const mode of ['500', 'html', 'pg', 'untyped'] as const) {
      w.portone!.mode = mode;
      const back = await w.app.request('GET', `/payments/return/${made.id}?paymentId=${pids[0]}`);
      t.is(back.status, 303, `${mode}: ${back.text}`);
      t.regex(back.headers.get('location')!, /pay=checking/, mode);
      const hook = await w.portone!.sendWebhook(
        `${w.app.url}/webhooks/payments/portone`,
        'Transaction.Paid',
        pids[1],
      );
      t.is(hook.status, 503, `${mode}: PortOne is asked to deliver the webhook again`);
    }
    t.is(await stateOf(w, made.id), 'pending');
    // The reconciler's pass: both orders unanswered, neither expired, and no error stops the pass.
    w.app.clock.advance(2 * 60_000);
    const r1 = await w.reconcile();
    t.is(r1.unanswered, 2);
    t.is(r1.expired, 0);
    w.portone!.mode = 'ok';
    w.app.clock.advance(2 * 60_000);
    const r2 = await w.reconcile();
    t.is(r2.settled, 2);
    t.is(await stateOf(w, made.id), 'paid');
    t.is(await stateOf(w, a.json.order.id), 'paid');
    t.is(await w.runJobs(), 2);
    t.is(await stateOf(w, made.id), 'issued');
  },
);

test.serial(
  'a status PortOne added later moves nothing; a failure without details fails the order as FAILED',
  async (t) => {
    const w = await failingWorld();
    const res = await orderFor(w, 2, 'portone-odd-0002');
    t.is(res.status, 201, res.text);
    const id = res.json.order.id;
    const pid = await paymentIdOf(w, id);
    w.portone!.answers.set(pid, { status: 'PAY_LATER_NEW_STATUS' });
    const back = await w.app.request('POST', `/api/payments/orders/${id}/confirm`, {
      headers: w.winners[2]!.headers,
    });
    t.is(back.status, 200, back.text);
    t.is(back.json.order.state, 'pending');
    w.portone!.answers.set(pid, {
      status: 'FAILED',
      id: pid,
      amount: { total: res.json.order.amount },
      currency: 'KRW',
      failure: {},
    });
    await w.app.request('GET', `/payments/return/${id}?paymentId=${pid}`);
    const row = await w.app.db('orders').where({ id }).first();
    t.is(row.state, 'failed');
    t.is(row.failure_code, 'FAILED');
    t.is(row.failure_message, '');
  },
);

test.serial(
  'a refund PortOne cannot make now is made later by the reconciler; one already made counts as done',
  async (t) => {
    const w = await failingWorld();
    const mismatched = async (i: number) => {
      const res = await orderFor(w, i, `portone-refund-000${i}`);
      const pid = await paymentIdOf(w, res.json.order.id);
      w.portone!.pay(pid, 100); // another amount: the money goes back
      await w.app.request('GET', `/payments/return/${res.json.order.id}?paymentId=${pid}`);
      return { id: res.json.order.id as string, pid };
    };
    // Cancelled at PortOne's console already: the refund counts as done.
    const done = await mismatched(3);
    w.portone!.payments.get(done.pid)!.status = 'CANCELLED';
    t.is(await w.runJobs(), 1);
    t.is(await stateOf(w, done.id), 'refunded');
    t.true(w.portone!.calls.includes(`POST /payments/${done.pid}/cancel`));
    // The card company does not answer: the job fails (the worker retries it) and the order waits.
    const later = await mismatched(4);
    w.portone!.mode = 'pg';
    await t.throwsAsync(w.runJobs(), { name: 'ProviderUnavailable', message: /cancelPayment: PG_PROVIDER/ });
    t.is(await stateOf(w, later.id), 'failed');
    t.is(w.portone!.payments.get(later.pid)?.status, 'PAID');
    w.portone!.mode = 'ok';
    w.app.clock.advance(3 * 60_000);
    const r = await w.reconcile();
    t.is(r.finished, 1);
    t.is(await stateOf(w, later.id), 'refunded');
    t.is(w.portone!.payments.get(later.pid)?.status, 'CANCELLED');
  },
);

test.serial('a webhook about no payment (a billing key) is kept once and moves no order', async (t) => {
  const w = await failingWorld();
  const before = await w.app.db('orders').select('id', 'state').orderBy('id');
  const audits = (await w.app.db('audit_log')).length;
  const hook = `${w.app.url}/webhooks/payments/portone`;
  const r = await w.portone!.sendWebhook(hook, 'BillingKey.Issued', undefined, { id: 'msg_billing_1' });
  t.is(r.status, 200, r.body);
  const stored = await w.app.db('payment_webhooks').where({ webhook_id: 'msg_billing_1' }).first();
  t.is(stored.type, 'BillingKey.Issued');
  t.is(stored.payment_id, null);
  t.deepEqual(await w.app.db('orders').select('id', 'state').orderBy('id'), before);
  t.is((await w.app.db('audit_log')).length, audits);
});
