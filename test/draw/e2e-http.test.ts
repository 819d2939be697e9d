// The draw fed by the real path: an admin creates and schedules a lottery over the API; residents apply as
// they do (the web form after a code by SMS, the JSON API, and SMS through the signed Twilio webhook); the
// reconciler closes and draws, the admin recording the beacon with the page's form; the published bundle holds
// exactly those applications, the command-line verifier (scripts/verify.ts, a separate process) says "match",
// and the public audit page looks a receipt number up.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import twilio from 'twilio';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signInWithForm } from '../helpers/browserSession.js';
import { drawContext, drawReconciler } from '../helpers/draw.js';
import { buildVoucherCampaign, isoFrom } from '../helpers/factories.js';
import { nextPhone, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';
import { entryArgs } from '../helpers/runScript.js';

const run = promisify(execFile);
const TOKEN = 'e2e-http-twilio-auth-token-0123';
const HOUR = 3600_000;
let app: TestApp;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draw-e2e-http-'));
test.before(async () => {
  app = await startTestApp({ config: { TWILIO_AUTH_TOKEN: TOKEN }, intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sms(from: string, body: string) {
  const form = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: from, Body: body };
  const url = 'http://127.0.0.1/webhooks/twilio/inbound';
  return app.request('POST', '/webhooks/twilio/inbound', {
    form,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, form) },
  });
}

test.serial('applications over HTTP and SMS are drawn, and the CLI verifies the bundle', async (t) => {
  // The stepped clock starts at the real time: applying checks the window against the database's clock.
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000);
  app.clock.set(start);
  const admin = await app.staff('admin');
  const created = await app.request('POST', '/api/admin/campaigns', {
    as: admin,
    json: buildVoucherCampaign(start, {
      opens_at: isoFrom(start, 1000),
      closes_at: isoFrom(start, HOUR),
      draw_at: isoFrom(start, 2 * HOUR),
      claim_opens_at: isoFrom(start, 3 * HOUR),
      total: 60_000,
      groups: [{ name: 'senior', name_ko: '어르신', name_en: 'Seniors', reserved: 20_000, weight: 2 }],
    }),
  });
  t.is(created.status, 201, created.text);
  const c = created.json.campaign;
  const scheduled = await app.request('POST', `/api/admin/campaigns/${c.id}/schedule`, {
    as: admin,
    json: {},
  });
  t.is(scheduled.status, 200, scheduled.text);

  const reconciler = drawReconciler(drawContext(app.db, app.clock));
  await new Promise((r) => setTimeout(r, Math.max(0, start.getTime() + 1100 - Date.now())));
  app.clock.set(new Date(c.opens_at));
  await reconciler.runOnce();
  t.is((await app.db('campaigns').where({ id: c.id }).first()).state, 'open');

  const receipts = new Map<string, string>(); // public id -> channel
  // The web form, after a code by SMS.
  for (let i = 0; i < 4; i++) {
    const r = await verifyResident(app, { birth_date: `1960010${i + 1}` });
    const res = await app.request('POST', `/campaigns/${c.id}/apply`, {
      headers: { ...r.headers, accept: 'text/html' },
      form: { amount: '10000', ...(i === 0 ? { group: 'senior' } : {}) },
    });
    t.is(res.status, 302, res.text.slice(0, 200));
    const mine = await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: r.headers });
    receipts.set(mine.json.receipt.public_id, 'web');
  }
  // The JSON API.
  for (let i = 0; i < 4; i++) {
    const r = await verifyResident(app, { birth_date: `1970020${i + 1}` });
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 10_000 * (1 + (i % 2)) },
    });
    t.is(res.status, 201, res.text);
    receipts.set(res.json.receipt.public_id, 'api');
  }
  // SMS, through the signed webhook.
  for (let i = 0; i < 4; i++) {
    const from = `+82${nextPhone().replace(/-/g, '').slice(1)}`;
    const res = await sms(from, `신청 ${c.code} 10000 1980030${i + 1}`);
    t.is(res.status, 200, res.text);
  }
  const bySms = await app.db('applications').where({ campaign_id: c.id, channel: 'sms' });
  t.is(bySms.length, 4);
  for (const a of bySms) receipts.set(a.public_id, 'sms');
  t.is(receipts.size, 12);
  const rows = await app.db('applications').where({ campaign_id: c.id });
  t.deepEqual(
    rows.map((a) => [a.public_id, a.channel === 'api' ? 'api' : a.channel]).sort(),
    [...receipts.entries()].sort(),
  );

  // Closed and drawn by the reconciler, the beacon recorded by the admin in between, with the form: refused
  // while the window is open and when empty, each said on the page; then checked, and recorded once confirmed.
  const form = await signInWithForm(app, 'admin');
  const beaconPage = `/admin/campaigns/${c.id}/draw/beacon`;
  const randomness = '0f3c'.repeat(16); // a drand round's, as the source named at the opening says
  const early = await form.post(beaconPage, { beacon: randomness });
  t.is(early.status, 409);
  t.true(early.text.includes('비컨 값은 신청 기간이 끝난 뒤에만'));
  app.clock.set(new Date(c.closes_at));
  await reconciler.runOnce();
  const empty = await form.post(beaconPage, { beacon: '' });
  t.is(empty.status, 422);
  t.is((await app.db('draws').where({ campaign_id: c.id }).first()).beacon, null, 'nothing recorded yet');
  const check = await form.post(beaconPage, { beacon: randomness });
  t.is(check.status, 200, check.text.slice(0, 300));
  t.is(
    (await app.db('draws').where({ campaign_id: c.id }).first()).beacon,
    null,
    'not before it is confirmed',
  );
  const beacon = await form.post(beaconPage, { beacon: randomness, confirm: 'yes' });
  t.is(beacon.status, 303, beacon.text.slice(0, 300));
  const saved = await form.get(beacon.headers.get('location')!);
  t.regex(saved.text, /비컨 값을 기록했습니다. 추첨은 추첨 일시인 20\d\d-\d\d-\d\d .*에 자동으로 진행됩니다/);
  app.clock.set(new Date(c.draw_at));
  await reconciler.runOnce();
  const audit = await app.request('GET', `/api/campaigns/${c.id}/audit`);
  t.is(audit.json.campaign.state, 'drawn');
  const lookup = (q: string) =>
    app.request('GET', `/campaigns/${c.id}/audit?${q}`, { headers: { accept: 'text/html' } });
  t.true((await lookup('public_id=NOPE0000')).text.includes('이 접수번호는 명단에 없습니다'));
  const winner = await app.db('awards').where({ campaign_id: c.id, outcome: 'won' }).first();
  const found = await lookup(`public_id=${winner.public_id}&lang=en`);
  t.regex(found.text, /id="lookup-outcome">[^<]*KRW [\d,]+/, 'the amount won, in English');
  t.regex(found.text, /<dd>[^<]*2\d{3}[^<]*<\/dd>/, 'with the deadline to collect it');
  for (const [lang, name] of [
    ['ko', '어르신'],
    ['en', 'Seniors'],
  ] as const) {
    const page = await lookup(`lang=${lang}`);
    t.regex(
      page.text,
      new RegExp(`data-group="senior"><td>[^<]*</td><td>${name}</td>`),
      'the group as people read it',
    );
  }

  const bundleRes = await fetch(`${app.url}/api/campaigns/${c.id}/bundle.json`);
  t.is(bundleRes.status, 200);
  const text = await bundleRes.text();
  const bundle = JSON.parse(text);
  t.deepEqual(
    bundle.roster.map((e: { public_id: string }) => e.public_id).sort(),
    [...receipts.keys()].sort(),
    'the roster is exactly the applications made',
  );
  const outcomes = new Set(bundle.results.map((r: { outcome: string }) => r.outcome));
  t.deepEqual(
    [...outcomes].sort(),
    ['waitlisted', 'won'],
    '60,000 KRW for 140,000 asked: some win, some wait',
  );
  const file = path.join(dir, 'bundle.json');
  fs.writeFileSync(file, text);
  const ok = await run(process.execPath, [...entryArgs('scripts/verify.ts'), file]);
  t.is(ok.stdout.trim(), 'match');

  // The CLI is no rubber stamp: a result moved to someone else is caught.
  const won = bundle.results.findIndex((r: { outcome: string }) => r.outcome === 'won');
  const lost = bundle.results.findIndex((r: { outcome: string }) => r.outcome === 'waitlisted');
  const [a, b] = [bundle.results[won], bundle.results[lost]];
  [a.public_id, b.public_id] = [b.public_id, a.public_id];
  fs.writeFileSync(file, JSON.stringify(bundle));
  const bad = await run(process.execPath, [...entryArgs('scripts/verify.ts'), file]).catch((e) => e);
  t.is(bad.code, 1);
  t.notRegex(bad.stdout, /^match$/m);
});
