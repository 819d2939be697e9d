// Applying through the JSON API: amounts, sites, duplicates, change, withdraw, the window by the database clock.
import test from 'ava';
import { formatIn, when } from '../../src/i18n/when.js';
import { decryptText } from '../../src/identity/crypto.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import {
  codeFor,
  openGoodsCampaign,
  openVoucherCampaign,
  ROOMY_LIMITS,
  verifyResident,
} from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

test('a verified resident applies once and gets a receipt with a public id; the receipt notice is queued', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 100_000 },
  });
  t.is(res.status, 201, res.text);
  t.regex(res.json.receipt.public_id, /^A[0-9A-HJKMNP-TV-Z]{9}$/);
  t.is(res.json.receipt.amount, 100_000);
  t.is(res.json.receipt.channel, 'api');
  const row = await app.db('applications').where({ public_id: res.json.receipt.public_id }).first();
  t.is(row.channel, 'api');
  // Sealed: only DATA_KEY opens it (AES-GCM, bound to its use), and no form of the number shows through.
  t.is(decryptText(TEST_SECRETS, row.contact_enc, 'contact'), `+82${r.phone.replace(/-/g, '').slice(1)}`);
  t.throws(() => decryptText({ ...TEST_SECRETS, dataKey: Buffer.alloc(32, 9) }, row.contact_enc, 'contact'));
  t.throws(() => decryptText(TEST_SECRETS, row.contact_enc, 'other'));
  const digits = r.phone.replace(/-/g, '');
  for (const form of [r.phone, digits, digits.slice(3), Buffer.from(r.phone).toString('base64url')])
    t.false(JSON.stringify(row).includes(form), `the application row holds ${form}`);
  const notice = await app.db('messages').where({ kind: 'receipt', campaign_id: c.id }).first();
  t.truthy(notice);
  t.true(String(notice.body).includes(res.json.receipt.public_id));
  // and when the result comes, short (an SMS's every character is paid)
  const { draw_at } = await app.db('campaigns').where({ id: c.id }).first('draw_at');
  t.is(String(notice.body).trim().split(' 추첨 ')[1], formatIn(draw_at, c.time_zone, 'ko', 'MM-dd HH:mm'));
  const page = await app.request('GET', `/campaigns/${c.id}/application`, {
    headers: { ...r.headers, accept: 'text/html' },
  });
  t.true(
    page.text.includes(`<dd id="draw-at">${when(draw_at, c.time_zone, 'ko')}</dd>`),
    'the page says it too',
  );

  const again = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 50_000 },
  });
  t.is(again.status, 409);
  t.is(again.json.error.code, 'duplicate_application');
  t.is(again.json.error.details.receipt.public_id, res.json.receipt.public_id);
  t.is(again.json.error.details.receipt.amount, 100_000);
});

test('an emailed receipt links to the application page in the language the resident chose', async (t) => {
  const c = await openVoucherCampaign(app, { verification_methods: ['sms', 'email'] });
  for (const lang of ['ko', 'en'] as const) {
    const email = `receipt-${lang}-${Date.now()}@example.test`;
    const sent = await app.request('POST', '/api/identity/codes', {
      json: { channel: 'email', email, birth_date: '19820315', lang },
    });
    t.is(sent.status, 202, sent.text);
    const verified = await app.request('POST', '/api/identity/verify', {
      json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
    });
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: { 'x-resident-token': verified.json.token },
      json: { amount: 100_000 },
    });
    t.is(res.status, 201, res.text);
    const notice = await app.db('messages').where({ kind: 'receipt', campaign_id: c.id, lang }).first();
    const link = `/campaigns/${c.id}/application${lang === 'en' ? '?lang=en' : ''}`;
    t.true(String(notice.body).includes(link), String(notice.body));
    t.false(lang === 'ko' && String(notice.body).includes('lang=en'), String(notice.body));
    const { draw_at } = await app.db('campaigns').where({ id: c.id }).first('draw_at');
    const draw = when(draw_at, c.time_zone, lang);
    t.true(String(notice.body).includes(lang === 'ko' ? `추첨 일시: ${draw}` : `Draw: ${draw}`), notice.body);
  }
});

test('amounts must be a multiple of the denomination and within the per-person limit', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  for (const amount of [15_000, 260_000, 0, -10_000, 5_000]) {
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount },
    });
    t.is(res.status, 422, `amount ${amount}`);
    t.is(res.json.error.code, 'validation_failed');
    t.truthy(res.json.error.fields.amount, `amount ${amount}`);
  }
  t.is(Number((await app.db('applications').where({ campaign_id: c.id }).count('* as n'))[0]!.n), 0);
});

test('goods: ranked sites must be the campaign’s own, distinct, at least one', async (t) => {
  const c = await openGoodsCampaign(app);
  const r = await verifyResident(app);
  const bad = [
    { amount: 2, sites: ['PH-NOPE'] },
    { amount: 2, sites: [] },
    { amount: 2, sites: ['PH-A', 'PH-A'] },
    { amount: 3, sites: ['PH-A'] },
  ];
  for (const json of bad) {
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, { headers: r.headers, json });
    t.is(res.status, 422, JSON.stringify(json));
  }
  const ok = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 2, sites: ['PH-C', 'PH-A'] },
  });
  t.is(ok.status, 201, ok.text);
  t.deepEqual(
    ok.json.receipt.sites.map((s: { id: string }) => s.id),
    ['PH-C', 'PH-A'],
  );
});

test('change and withdraw until close; applying again after withdrawing keeps the public id', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const first = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 50_000 },
  });
  const changed = await app.request('PUT', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 250_000 },
  });
  t.is(changed.status, 200, changed.text);
  t.is(changed.json.receipt.amount, 250_000);
  t.is(changed.json.receipt.version, 2);
  const gone = await app.request('DELETE', `/api/campaigns/${c.id}/application`, { headers: r.headers });
  t.is(gone.json.receipt.status, 'withdrawn');
  const back = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  t.is(back.status, 200);
  t.is(back.json.receipt.public_id, first.json.receipt.public_id);
  t.is(back.json.receipt.status, 'active');
});

test('no session, a tampered token or a staff token: 401', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const none = await app.request('POST', `/api/campaigns/${c.id}/application`, { json: { amount: 10_000 } });
  t.is(none.status, 401);
  const [h, p, s] = r.token.split('.');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
  const tampered = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { 'x-resident-token': forged },
    json: { amount: 10_000 },
  });
  t.is(tampered.status, 401);
  t.is(tampered.json.error.code, 'invalid_token');
  const admin = await app.staff('admin');
  const staffToken = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { 'x-resident-token': admin.token },
    json: { amount: 10_000 },
  });
  t.is(staffToken.status, 401);
});

test('draft and cancelled campaigns refuse; a campaign not yet open by the database clock refuses', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  await app.db('campaigns').where({ id: c.id }).update({ state: 'cancelled' });
  const cancelled = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  t.is(cancelled.json.error.code, 'campaign_not_open');
  await app.db.raw(
    `UPDATE campaigns SET state = 'scheduled', opens_at = now() + interval '1 hour' WHERE id = ?`,
    [c.id],
  );
  const early = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 10_000 },
  });
  t.is(early.status, 409);
  t.is(early.json.error.code, 'campaign_not_open');
});

test('before closing by the database clock is accepted, a second after is campaign_closed (state still open)', async (t) => {
  const c = await openVoucherCampaign(app);
  const a = await verifyResident(app);
  const b = await verifyResident(app);
  // Closing moved around the database's now(), no sleeping: a loaded machine cannot move the outcome.
  await app.db.raw(`UPDATE campaigns SET closes_at = now() + interval '1 minute' WHERE id = ?`, [c.id]);
  const before = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: a.headers,
    json: { amount: 10_000 },
  });
  t.is(before.status, 201, before.text);
  await app.db.raw(`UPDATE campaigns SET closes_at = now() - interval '1 second' WHERE id = ?`, [c.id]);
  const state = await app.db('campaigns').where({ id: c.id }).first('state');
  t.is(state.state, 'open', 'the reconciler has not run: the clock alone decides');
  const after = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: b.headers,
    json: { amount: 10_000 },
  });
  t.is(after.status, 409);
  t.is(after.json.error.code, 'campaign_closed');
  const change = await app.request('PUT', `/api/campaigns/${c.id}/application`, {
    headers: a.headers,
    json: { amount: 20_000 },
  });
  t.is(change.json.error.code, 'campaign_closed');
  const withdraw = await app.request('DELETE', `/api/campaigns/${c.id}/application`, { headers: a.headers });
  t.is(withdraw.json.error.code, 'campaign_closed');
  t.is(Number((await app.db('applications').where({ campaign_id: c.id }).count('* as n'))[0]!.n), 1);
});

test('many concurrent attempts by one person: exactly one application', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const replies = await Promise.all(
    Array.from({ length: 20 }, () =>
      app.request('POST', `/api/campaigns/${c.id}/application`, {
        headers: r.headers,
        json: { amount: 10_000 },
      }),
    ),
  );
  t.is(replies.filter((x) => x.status === 201).length, 1);
  t.is(replies.filter((x) => x.json?.error?.code === 'duplicate_application').length, 19);
  t.is(Number((await app.db('applications').where({ campaign_id: c.id }).count('* as n'))[0]!.n), 1);
});

test('the OpenAPI document is served and names the application routes', async (t) => {
  const res = await app.request('GET', '/api/openapi.json');
  t.is(res.status, 200);
  t.is(res.json.openapi, '3.1.0');
  t.truthy(res.json.paths['/api/campaigns/{id}/application'].post.requestBody);
  t.truthy(res.json.paths['/webhooks/twilio/inbound']);
});
