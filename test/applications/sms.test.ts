// Inbound SMS: signature checked (403, nothing stored), replays create nothing, Korean and English commands,
// one person applying by SMS and on the web at the same moment gets exactly one application, and refusals are
// answered in words.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import twilio from 'twilio';
import type { TestApp } from '../helpers/app.js';
import { SMS_TEST_TOKEN, smsTestApp } from '../helpers/inboundSms.js';
import { codeFor, openGoodsCampaign, openVoucherCampaign, setWindow } from '../helpers/intake.js';

const TOKEN = SMS_TEST_TOKEN;
let app: TestApp;
test.before(async () => {
  app = await smsTestApp();
});
test.after.always(async () => {
  await app?.close();
});

const sid = () => `SM${randomBytes(16).toString('hex')}`;

function post(params: Record<string, string>, signature?: string) {
  const url = `http://127.0.0.1/webhooks/twilio/inbound`;
  const sig = signature ?? twilio.getExpectedTwilioSignature(TOKEN, url, params);
  return app.request('POST', '/webhooks/twilio/inbound', {
    form: params,
    headers: { 'x-twilio-signature': sig },
  });
}

async function replyFor(messageSid: string): Promise<string> {
  const m = await app
    .db('messages')
    .where({ dedupe_key: `sms_reply:${messageSid}` })
    .first('body');
  return String(m?.body ?? '');
}

test('APPLY in Korean: one application, channel sms, reply with the receipt; a replay creates nothing', async (t) => {
  const c = await openVoucherCampaign(app, { code: 'TY2612' });
  const params = { MessageSid: sid(), From: '+821055501234', Body: `신청 ${c.code} 100,000 19820315` };
  const res = await post(params);
  t.is(res.status, 200, res.text);
  t.true(res.text.includes('<Response>'));
  const apps = await app.db('applications').where({ campaign_id: c.id });
  t.is(apps.length, 1);
  t.is(apps[0].channel, 'sms');
  t.is(Number(apps[0].request), 100_000);
  const reply = await replyFor(params.MessageSid);
  t.true(reply.includes(apps[0].public_id), reply);
  t.regex(reply, /추첨 \d\d-\d\d \d\d:\d\d$/, 'and when the draw is');

  const replay = await post(params);
  t.is(replay.status, 200);
  t.is(replay.headers.get('x-replayed'), '1');
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);
  t.is((await app.db('messages').where('dedupe_key', 'like', `sms_reply:${params.MessageSid}%`)).length, 1);

  const second = { MessageSid: sid(), From: params.From, Body: `APPLY ${c.code} 50000 19820315` };
  await post(second);
  t.true(
    (await replyFor(second.MessageSid)).includes(apps[0].public_id),
    'already applied answer carries the receipt',
  );
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);
});

test('a bad or missing signature is 403 and stores nothing', async (t) => {
  const c = await openVoucherCampaign(app);
  const params = { MessageSid: sid(), From: '+821055509999', Body: `신청 ${c.code} 100000 19820315` };
  const forged = await post(
    params,
    twilio.getExpectedTwilioSignature(
      'wrong-token-xxxxxxxxxxxx',
      'http://127.0.0.1/webhooks/twilio/inbound',
      params,
    ),
  );
  t.is(forged.status, 403);
  t.is(forged.json.error.code, 'invalid_signature');
  const altered = await post(
    { ...params, Body: `신청 ${c.code} 250000 19820315` },
    twilio.getExpectedTwilioSignature(TOKEN, 'http://127.0.0.1/webhooks/twilio/inbound', params),
  );
  t.is(altered.status, 403);
  const none = await app.request('POST', '/webhooks/twilio/inbound', { form: params });
  t.is(none.status, 403);
  t.is((await app.db('sms_inbound').where({ message_sid: params.MessageSid })).length, 0);
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
});

test('STATUS, CANCEL and HELP, in Korean and English; bad amounts get a plain answer', async (t) => {
  const c = await openVoucherCampaign(app);
  const from = '+821055507777';
  await post({ MessageSid: sid(), From: from, Body: `APPLY ${c.code} 30000 19900101` });
  const status = { MessageSid: sid(), From: from, Body: '상태' };
  await post(status);
  t.regex(await replyFor(status.MessageSid), /접수/);
  const cancel = { MessageSid: sid(), From: from, Body: `CANCEL ${c.code}` };
  await post(cancel);
  t.regex(await replyFor(cancel.MessageSid), /withdrawn/i);
  t.is((await app.db('applications').where({ campaign_id: c.id }).first()).status, 'withdrawn');
  const help = { MessageSid: sid(), From: from, Body: '도움말' };
  await post(help);
  t.regex(await replyFor(help.MessageSid), /신청 TY2612/);
  const bad = { MessageSid: sid(), From: from, Body: `신청 ${c.code} 15000 19900101` };
  await post(bad);
  t.regex(await replyFor(bad.MessageSid), /금액/);
  const junk = { MessageSid: sid(), From: from, Body: 'hello' };
  await post(junk);
  t.regex(await replyFor(junk.MessageSid), /HELP/);
  // A reply to a command naming the campaign is counted with its notices (what the city pays for); one naming
  // none (상태 alone, HELP, junk) is nobody's campaign's.
  const campaignOf = async (m: { MessageSid: string }) =>
    (
      await app
        .db('messages')
        .where({ dedupe_key: `sms_reply:${m.MessageSid}` })
        .first('campaign_id')
    ).campaign_id;
  t.is(await campaignOf(cancel), c.id);
  t.is(await campaignOf(bad), c.id);
  for (const none of [status, help, junk]) t.is(await campaignOf(none), null);
  const page = await app.request('GET', `/api/admin/campaigns/${c.id}/messages`, {
    as: await app.staff('admin'),
  });
  t.is(page.status, 200, page.text);
  const sms = page.json.counts.sms as Record<string, number>;
  t.is(
    Object.values(sms).reduce((a, b) => a + b, 0),
    3,
    `APPLY, CANCEL and the refused 신청 are the campaign's: ${page.text}`,
  );
});

test('the same person by SMS and on the web at the same moment: exactly one application', async (t) => {
  const c = await openVoucherCampaign(app);
  const phone = '010-5550-4242';
  const sent = await app.request('POST', '/api/identity/codes', {
    json: { channel: 'sms', phone, birth_date: '19820315' },
  });
  const verified = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
  });
  const headers = { 'x-resident-token': verified.json.token };
  const message = { MessageSid: sid(), From: '+821055504242', Body: `신청 ${c.code} 20000 19820315` };
  const [web, sms] = await Promise.all([
    app.request('POST', `/api/campaigns/${c.id}/application`, { headers, json: { amount: 10_000 } }),
    post(message),
  ]);
  t.is(sms.status, 200);
  const rows = await app.db('applications').where({ campaign_id: c.id });
  t.is(rows.length, 1);
  const one = rows[0];
  // Whichever channel won, the other was told about that same application, with its receipt.
  const reply = await replyFor(message.MessageSid);
  t.true(reply.includes(one.public_id), `the SMS reply names ${one.public_id}: ${reply}`);
  const inbound = await app.db('sms_inbound').where({ message_sid: message.MessageSid }).first();
  if (web.status === 201) {
    t.is(one.channel, 'api');
    t.is(Number(one.request), 10_000);
    t.is(web.json.receipt.public_id, one.public_id);
    t.is(inbound.outcome, 'duplicate_application');
  } else {
    t.is(web.json.error.code, 'duplicate_application', web.text);
    t.is(web.json.error.details.receipt.public_id, one.public_id);
    t.is(one.channel, 'sms');
    t.is(Number(one.request), 20_000);
    t.is(inbound.outcome, 'ok');
  }
});

test('after closing by the database clock, an SMS application is answered with campaign_closed', async (t) => {
  const c = await openVoucherCampaign(app);
  await app.db.raw(`UPDATE campaigns SET closes_at = now() - interval '1 second' WHERE id = ?`, [c.id]);
  const m = { MessageSid: sid(), From: '+821055506666', Body: `신청 ${c.code} 10000 19820315` };
  await post(m);
  t.regex(await replyFor(m.MessageSid), /끝났습니다/);
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
});

test('refusals by SMS are answered in words (the rule, the day, an unknown site) and store nothing', async (t) => {
  const rotation = await openVoucherCampaign(app, {
    eligibility: { regions: [], birth_year_rotation: true },
  });
  // a window to the Tuesday after, so the next Monday comes within it
  await setWindow(app, rotation.id, '2026-11-30T09:00:00+09:00', '2026-12-08T18:00:00+09:00');
  const adults = await openVoucherCampaign(app, { eligibility: { regions: [], min_age: 20 } });
  const goods = await openGoodsCampaign(app);
  const ask = async (from: string, body: string) => {
    const m = { MessageSid: sid(), From: from, Body: body };
    t.is((await post(m)).status, 200);
    const inbound = await app.db('sms_inbound').where({ message_sid: m.MessageSid }).first();
    return { reply: (await replyFor(m.MessageSid)).trim(), outcome: inbound.outcome };
  };
  // The app's clock says Tuesday 1 December 2026: a birth year ending in 1 applies on Mondays, and the weekend before
  // the next one is anyone's: their next time runs from Saturday to the end of Monday.
  t.deepEqual(await ask('+821055503001', `APPLY ${rotation.code} 10000 19810315`), {
    reply:
      '[Fair Allocation] On weekdays, people whose birth year ends in 1 or 6 may apply only on Monday (the birth-year ' +
      'weekday rule). Your next time to apply: Saturday 5 December 00:00 to Monday 7 December 24:00 (Korean Standard ' +
      'Time). Anyone may apply at the weekend.',
    outcome: 'not_eligible',
  });
  t.deepEqual(await ask('+821055503002', `APPLY ${adults.code} 10000 20150315`), {
    reply: '[Fair Allocation] You must be at least 20 years old.',
    outcome: 'not_eligible',
  });
  t.deepEqual(await ask('+821055503003', `APPLY ${goods.code} 1 19820315 PH-NOWHERE`), {
    reply: '[Fair Allocation] Unknown pickup site code.',
    outcome: 'validation_failed',
  });
  const stored = await app.db('applications').whereIn('campaign_id', [rotation.id, adults.id, goods.id]);
  t.deepEqual(stored, [], 'nothing applied');
});
