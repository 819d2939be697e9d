// Money that reaches an instant-sale order after its hold ran out: whatever the amount, it is never kept
// silently. It is recorded, audited, refunded, and the admin's payment summary counts it.
import test from 'ava';
import { refundOrder } from '../../src/commands/payments/refundOrder.js';
import { buyers, instantWorld, openSale, scheduledSale } from '../helpers/instant.js';

const UNIT = 10_000;

/** A buyer's purchase whose hold has run out: its order is expired and its stock back on sale. */
async function expiredOrder(w: Awaited<ReturnType<typeof instantWorld>>) {
  const { app, tick } = w;
  const c = await scheduledSale(app, { units: 2 });
  const [b] = await buyers(app, 1);
  await openSale(app, c.id);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b!.headers });
  await tick();
  const s = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: b!.headers })).json.queue;
  const r = await app.request('POST', `/api/campaigns/${c.id}/purchases`, {
    headers: {
      ...b!.headers,
      'idempotency-key': 'closed-order-0001',
      'x-admission-token': s.admission_token,
    },
    json: { quantity: UNIT },
  });
  if (r.status !== 201) throw new Error(`purchase: ${r.status} ${r.text}`);
  app.clock.advance(601_000);
  await tick();
  const order = await app.db('orders').where({ id: r.json.purchase.order.id }).first();
  if (order.state !== 'expired') throw new Error(`order is ${order.state}`);
  return { campaignId: c.id as string, order };
}

test('a payment of another amount for an expired instant order is refunded, audited and shown to admins', async (t) => {
  const w = await instantWorld();
  t.teardown(() => w.app.close());
  const { app } = w;
  const { campaignId, order } = await expiredOrder(w);
  // A tampered checkout completes after the hold ran out, for 100 won instead of the order's amount.
  t.not(Number(order.amount), 100);
  await app.db('dev_payments').where({ payment_id: order.payment_id }).update({ amount: 100 });
  const checkout = await app.request('POST', `/dev/checkout/${encodeURIComponent(order.payment_id)}`, {
    form: { choice: 'pay' },
  });
  t.is(checkout.status, 303, checkout.text);
  const back = new URL(checkout.headers.get('location')!, app.url);
  await app.request('GET', back.pathname + back.search);

  const row = await app.db('orders').where({ id: order.id }).first();
  t.is(row.state, 'expired', 'a closed order stays closed');
  t.is(Number(row.paid_amount), 100, 'the money taken is recorded');
  t.is(row.refund_reason, 'amount_mismatch');
  t.truthy(row.refund_requested_at);
  const audits = await app.db('audit_log').where({ action: 'order.refund_requested' });
  t.is(audits.length, 1);
  t.is(audits[0].data.reason, 'amount_mismatch');
  t.is(audits[0].data.amount, 100);

  const admin = await app.staff('admin');
  const pending = await app.request('GET', `/api/admin/campaigns/${campaignId}/payments`, { as: admin });
  t.is(pending.status, 200, pending.text);
  t.is(pending.json.refunds.pending, 1);

  t.is(await refundOrder(w.ctx.payment!, order.id), 'refunded');
  t.is((await app.db('dev_payments').where({ payment_id: order.payment_id }).first()).status, 'CANCELLED');
  const done = await app.request('GET', `/api/admin/campaigns/${campaignId}/payments`, { as: admin });
  t.deepEqual(done.json.refunds, { count: 1, amount: 100, pending: 0 });
  t.is(done.json.sum_paid, 0);
  // The accounting export says why the money went back.
  const csv = await app.request('GET', `/api/admin/campaigns/${campaignId}/orders.csv`, { as: admin });
  const [head, line] = csv.text.trim().split('\r\n');
  const fields = Object.fromEntries(head!.split(',').map((k, i) => [k, line!.split(',')[i]]));
  t.is(fields.refund_reason, 'amount_mismatch');
  t.is(fields.refunded_amount, '100');
});
