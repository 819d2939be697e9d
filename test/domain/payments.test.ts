import test from 'ava';
import {
  awaitsProvider,
  canMove,
  holdUntil,
  ORDER_STATES,
  type OrderFacts,
  priceOf,
  settle,
  voucherUnits,
} from '../../src/domain/payments/order.js';

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  state: 'pending',
  amount: 90_000,
  currency: 'KRW',
  payment_id: 'p1',
  paid_amount: null,
  ...over,
});
const paid = { status: 'paid' as const, amount: 90_000, currency: 'KRW', paymentId: 'p1' };

test('no state moves back to an earlier one, and issued and refunded are final', (t) => {
  const rank = (s: string) => ['created', 'pending', 'paid', 'issued'].indexOf(s);
  for (const from of ORDER_STATES) {
    for (const to of ORDER_STATES) {
      if (canMove(from, to) && rank(from) >= 0 && rank(to) >= 0)
        t.true(rank(to) > rank(from), `${from}->${to}`);
    }
  }
  t.false(canMove('issued', 'refunded'));
  t.false(ORDER_STATES.some((s) => canMove('refunded', s) || canMove('issued', s)));
  t.false(canMove('expired', 'paid'));
  t.false(canMove('failed', 'pending'));
});

test('a matching payment pays an open order once', (t) => {
  t.deepEqual(settle(order(), paid), { kind: 'paid' });
  t.deepEqual(settle(order({ state: 'created' }), paid), { kind: 'paid' });
  t.deepEqual(settle(order({ state: 'paid', paid_amount: 90_000 }), paid), { kind: 'none' });
  t.deepEqual(settle(order({ state: 'issued', paid_amount: 90_000 }), paid), { kind: 'none' });
});

test('another amount, currency or payment id is never issued', (t) => {
  t.deepEqual(settle(order(), { ...paid, amount: 1000 }), {
    kind: 'refund',
    reason: 'amount_mismatch',
    close: 'failed',
  });
  t.is(settle(order(), { ...paid, currency: 'USD' }).kind, 'refund');
  t.deepEqual(settle(order(), { ...paid, paymentId: 'other' }), { kind: 'none' });
});

test('money arriving for a closed order is given back', (t) => {
  for (const state of ['expired', 'failed', 'cancelled'] as const) {
    t.deepEqual(settle(order({ state }), paid), { kind: 'refund', reason: 'late_payment' });
    t.deepEqual(settle(order({ state }), { ...paid, amount: 100 }), {
      kind: 'refund',
      reason: 'amount_mismatch',
    });
    t.deepEqual(settle(order({ state }), { ...paid, currency: 'USD' }), {
      kind: 'refund',
      reason: 'amount_mismatch',
    });
  }
});

test('a decline or a cancel closes only an open order; a late one changes nothing', (t) => {
  const failed = { ...paid, status: 'failed' as const, failure: { code: 'X', message: 'no' } };
  t.deepEqual(settle(order(), failed), { kind: 'close', to: 'failed', code: 'X', message: 'no' });
  t.deepEqual(settle(order({ state: 'paid', paid_amount: 90_000 }), failed), { kind: 'none' });
  t.is(settle(order(), { ...paid, status: 'cancelled' }).kind, 'close');
  t.deepEqual(settle(order(), { ...paid, status: 'ready' }), { kind: 'none' });
  // The provider said no without saying why: a decline, in no words of its own.
  t.deepEqual(settle(order(), { ...paid, status: 'failed' }), {
    kind: 'close',
    to: 'failed',
    code: 'declined',
    message: '',
  });
  t.deepEqual(settle(order(), { ...paid, status: 'cancelled', failure: { code: 'C', message: 'gave up' } }), {
    kind: 'close',
    to: 'cancelled',
    code: 'cancelled',
    message: 'gave up',
  });
});

test('a closed order whose payment is recorded awaits no provider: every answer settles it as nothing', (t) => {
  const answers = [
    paid,
    { ...paid, amount: 1 },
    { ...paid, currency: 'USD' },
    { ...paid, paymentId: 'p2' },
    {
      status: 'failed' as const,
      amount: 0,
      currency: 'KRW',
      paymentId: 'p1',
      failure: { code: 'X', message: '' },
    },
    { status: 'cancelled' as const, amount: 0, currency: 'KRW', paymentId: 'p1' },
    { status: 'ready' as const, amount: 0, currency: 'KRW', paymentId: 'p1' },
    { status: 'unknown' as const, amount: 0, currency: '', paymentId: 'p1' },
  ];
  for (const state of ORDER_STATES.filter((s) => !['created', 'pending'].includes(s))) {
    const recorded = order({ state, paid_amount: 90_000 });
    t.false(awaitsProvider(recorded));
    for (const view of answers)
      t.deepEqual(settle(recorded, view), { kind: 'none' }, `${state} ${view.status}`);
  }
  t.true(awaitsProvider(order()));
  t.true(
    awaitsProvider(order({ state: 'failed' })),
    'a closed order without money may still see a late payment',
  );
});

test('price, units and hold are integers and bounded', (t) => {
  t.is(priceOf({ face_value: 250_000, discount_bp: 1000 }), 225_000);
  t.is(priceOf({ face_value: 10_000, discount_bp: 0 }), 10_000);
  t.is(priceOf({ face_value: 5_555, discount_bp: 333 }), 5_370);
  t.deepEqual(voucherUnits(30_000, 10_000), [10_000, 10_000, 10_000]);
  t.throws(() => voucherUnits(25_000, 10_000));
  const now = new Date('2026-12-01T00:00:00Z');
  t.is(holdUntil(now, 30, null).toISOString(), '2026-12-01T00:30:00.000Z');
  t.is(holdUntil(now, 30, new Date('2026-12-01T00:10:00Z')).toISOString(), '2026-12-01T00:10:00.000Z');
});
