// A voucher campaign's price and issue rules through the admin API and form: face value of a voucher, discount,
// the time a winner has to pay, checkout hold and validity; bad values are refused by field, nothing stored.
import test from 'ava';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;
test.before(async () => {
  app = await startTestApp();
  admin = await app.staff('admin');
});
test.after.always(async () => {
  await app?.close();
});

test.serial('price rules are stored and shown; blanks take the defaults', async (t) => {
  const body = {
    ...buildVoucherCampaign(app.clock.now(), { code: 'PRICE1' }),
    voucher_unit: 5000,
    discount_percent: 7.5,
    claim_period_hours: 48,
    checkout_minutes: 15,
    voucher_valid_days: 365,
  };
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  t.is(res.status, 201, res.text);
  t.deepEqual(res.json.campaign?.price ?? res.json.price, {
    voucher_unit: 5000,
    discount_percent: 7.5,
    voucher_valid_days: 365,
    checkout_minutes: 15,
  });
  const row = await app.db('campaigns').where({ code: 'PRICE1' }).first();
  t.is(row.discount_bp, 750);
  t.is(row.claim_period_hours, 48);
  const plain = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(app.clock.now(), { code: 'PRICE2' }),
  });
  t.is(plain.status, 201, plain.text);
  const row2 = await app.db('campaigns').where({ code: 'PRICE2' }).first();
  t.deepEqual(
    [
      row2.voucher_unit,
      row2.discount_bp,
      row2.voucher_valid_days,
      row2.checkout_minutes,
      row2.claim_period_hours,
    ],
    [null, 0, 1825, 30, 72],
  );
});

test.serial('bad price rules are refused by field and nothing is stored', async (t) => {
  const before = Number((await app.db('campaigns').count('* as n').first())?.n);
  for (const [field, value] of [
    ['discount_percent', 100],
    ['discount_percent', 10.125],
    ['discount_percent', '-1'],
    ['voucher_unit', 3000],
    ['voucher_unit', 20_000],
    ['checkout_minutes', 0],
    ['claim_period_hours', 0],
    ['voucher_valid_days', 'soon'],
  ] as const) {
    const res = await app.request('POST', '/api/admin/campaigns', {
      as: admin,
      json: { ...buildVoucherCampaign(app.clock.now(), { code: 'BAD1' }), [field]: value },
    });
    t.is(res.status, 422, `${field}=${value}: ${res.text}`);
    t.truthy(res.json.error.fields[field], `${field}=${value}`);
  }
  t.is(Number((await app.db('campaigns').count('* as n').first())?.n), before);
});
