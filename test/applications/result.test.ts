// After the draw a resident's own page, its API and SMS STATUS tell the outcome, not the receipt: won (what,
// where, when, claim code and QR, what to bring), waitlisted (the place and what happens next), not selected
// (said plainly, with the audit link), collected, expired, and won after a promotion. The audit page's own-result
// lookup names the site and the slot time in the page's language. STATUS names the campaign's phone where it has one.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { DateTime } from 'luxon';
import twilio from 'twilio';
import { claimKeyOf } from '../../src/commands/awardNotices.js';
import { claimCodeFor } from '../../src/commands/claimCodes.js';
import { fanOutResults } from '../../src/commands/resultFanout.js';
import { contactHash } from '../../src/identity/crypto.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { at, awardsOf, drawnLottery, scheduledScenario } from '../draw/_scenario.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { addApplications, drawContext, drawReconciler } from '../helpers/draw.js';
import { OFFICE_CONTACT } from '../helpers/factories.js';
import { formPostOf } from '../helpers/formPost.js';
import { ROOMY_LIMITS } from '../helpers/intake.js';
import { residentBrowser } from '../helpers/residentBrowser.js';

const TOKEN = 'test-twilio-auth-token-0123456789';
const env = { secrets: TEST_SECRETS, publicUrl: 'http://127.0.0.1' };
let app: TestApp;
test.before(async () => {
  app = await startTestApp({
    config: { TWILIO_AUTH_TOKEN: TOKEN },
    intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 },
  });
});
test.after.always(async () => {
  await app?.close();
});

async function applicationOf(campaignId: string, publicId: string) {
  return app.db('applications').where({ campaign_id: campaignId, public_id: publicId }).first();
}

/** The resident's own session, as a verified code would have started it. */
async function residentHeaders(campaignId: string, publicId: string) {
  const a = await applicationOf(campaignId, publicId);
  const token = await signResidentToken(
    TEST_SECRETS.sessionSecret,
    { sub: a.identity_id, m: 'sms', bd: '1982-03-15', bs: 'declared', cc: null, ce: null, lang: 'ko' },
    app.clock.now(),
  );
  return { 'x-resident-token': token };
}

async function page(campaignId: string, publicId: string, lang: 'ko' | 'en' = 'ko') {
  const res = await app.request(
    'GET',
    `/campaigns/${campaignId}/application${lang === 'en' ? '?lang=en' : ''}`,
    {
      headers: { ...(await residentHeaders(campaignId, publicId)), accept: 'text/html' },
    },
  );
  return res;
}

async function api(campaignId: string, publicId: string) {
  return app.request('GET', `/api/campaigns/${campaignId}/application`, {
    headers: await residentHeaders(campaignId, publicId),
  });
}

let phoneSeq = 0;
/** Sends 상태 (or STATUS) from the person's phone through the signed Twilio webhook; returns the reply. */
async function smsStatus(campaignId: string, publicId: string, body = '상태'): Promise<string> {
  const a = await applicationOf(campaignId, publicId);
  const phone = `+8210777${String(++phoneSeq).padStart(5, '0')}`;
  await app
    .db('identities')
    .where({ id: a.identity_id })
    .update({ phone_hash: contactHash(TEST_SECRETS, phone) });
  const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: phone, Body: body };
  const url = 'http://127.0.0.1/webhooks/twilio/inbound';
  const res = await app.request('POST', '/webhooks/twilio/inbound', {
    form: params,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params) },
  });
  if (res.status !== 200) throw new Error(`webhook ${res.status} ${res.text}`);
  const m = await app
    .db('messages')
    .where({ dedupe_key: `sms_reply:${params.MessageSid}` })
    .first('body');
  return String(m?.body ?? '');
}

/** A drawn lottery of 40 whose results went out (claim codes indexed for the counter): its id and awards. */
async function drawnAndSent() {
  const drawn = await drawnLottery(app, { applicants: 40 });
  const c = drawn.s.campaignId;
  await fanOutResults(drawn.env, c);
  return { c, awards: await awardsOf(app.db, c) };
}

const html = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test.serial('won, waitlisted, collected and not selected: page, API and SMS STATUS agree', async (t) => {
  const drawn = await drawnLottery(app, { applicants: 40 });
  const { s } = drawn;
  const c = s.campaignId;
  await fanOutResults(drawn.env, c); // results sent, claim codes indexed for the counter
  const awards = await awardsOf(app.db, c);
  const won = awards.find((a) => a.outcome === 'won')!;
  const site0: string = won.site;
  // The winner applied as a (declared) senior: the group's proof is on the list of what to bring.
  await app
    .db('applications')
    .where({ campaign_id: c, public_id: won.public_id })
    .update({ group_name: 'senior', group_source: 'declared' });
  await app.db('sites').where({ id: site0 }).update({
    phone: '02-123-4567',
    hours_ko: '평일 09:00-18:00',
    hours_en: 'Weekdays 09:00-18:00',
    lat: 37.5636,
    lng: 126.9976,
  });
  await app
    .db('campaigns')
    .where({ id: c })
    .update({
      groups: JSON.stringify([
        {
          name: 'senior',
          name_ko: '어르신',
          name_en: 'Seniors',
          proof_ko: '경로우대증',
          proof_en: 'a senior card',
          reserved: 3,
          weight: 2,
        },
      ]),
    });
  const waiting = awards.find((a) => a.outcome === 'waitlisted')!;
  const app1 = await applicationOf(c, won.public_id);
  const code = claimCodeFor(await claimKeyOf(app.db, env, c), app1.id);

  // Won: the outcome, not the receipt form.
  const ko = await page(c, won.public_id);
  t.is(ko.status, 200, ko.text);
  const koText = html(ko.text);
  t.regex(koText, /당첨되었습니다/);
  t.notRegex(ko.text, /application\?edit=1|application\/withdraw/, 'no change or withdraw after the draw');
  t.regex(koText, new RegExp(`약국 ${site0}`));
  t.regex(koText, new RegExp(`서울 중구 ${site0}길 1 \\(중구\\)`));
  t.regex(ko.text, /href="tel:021234567">02-123-4567/);
  t.regex(koText, /평일 09:00-18:00/);
  t.regex(ko.text, /href="https:\/\/www\.openstreetmap\.org\/\?mlat=37\.5636&amp;mlon=126\.9976/);
  t.regex(
    koText,
    won.slot.endsWith('-S1') ? /2026-12-03 \(목\) 12:00 – 14:00/ : /2026-12-03 \(목\) 14:00 – 16:00/,
  );
  t.regex(ko.text, new RegExp(`id="claim-code">${code}<`));
  t.regex(ko.text, /<div class="qr" role="img" aria-label="[^"]+"><svg[^>]*viewBox/);
  t.regex(koText, /신분증 \(주민등록증, 운전면허증, 여권 중 하나\): 신청할 때 입력한 생년월일/);
  t.regex(koText, /어르신 증빙: 경로우대증/);
  t.regex(koText, /수령 기한/);
  const en = html((await page(c, won.public_id, 'en')).text);
  t.regex(en, /You won/);
  t.regex(en, /Pharmacy /);
  t.regex(en, /Weekdays 09:00-18:00/);
  t.regex(en, /Photo ID/);
  t.regex(en, /Proof for Seniors: a senior card/);
  t.regex(en, /2026-12-03 \(Thu\) 1[24]:00 – 1[46]:00/);

  const wonApi = await api(c, won.public_id);
  t.is(wonApi.status, 200);
  t.is(wonApi.json.receipt.public_id, won.public_id);
  t.like(wonApi.json.result, {
    kind: 'won',
    amount: Number(won.amount),
    unit: 'item',
    promoted: false,
    claim_code: code,
    slot: { id: won.slot },
    site: { id: site0, phone: '02-123-4567' },
  });
  // The QR carries the signed claim token the counter checks offline.
  t.regex(wonApi.json.result.qr_payload, /^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  t.deepEqual(
    wonApi.json.result.bring.map((b: { kind: string }) => b.kind),
    ['claim_code', 'id_card', 'group_proof'],
  );
  const wonSms = await smsStatus(c, won.public_id);
  t.regex(
    wonSms,
    new RegExp(`당첨: ${won.amount}개, 약국 ${site0} 12-03 \\(목\\) 1[24]:00~1[46]:00\\. 수령번호 ${code}`),
  );
  t.regex(wonSms, new RegExp(`/campaigns/${c}/application`));
  t.notRegex(wonSms, /\(접수\)/);
  t.regex(await smsStatus(c, won.public_id, 'STATUS'), new RegExp(`WON: .*Claim code ${code}`));

  // Waitlisted: the place and what happens next.
  const w = html((await page(c, waiting.public_id)).text);
  t.regex(w, /대기자 명단에 있습니다/);
  t.regex(w, new RegExp(`대기 ${waiting.waitlist}번`));
  t.regex(w, /같은 수령처를 고른 대기자에게 순서대로/);
  t.like((await api(c, waiting.public_id)).json.result, {
    kind: 'waitlisted',
    waitlist: waiting.waitlist,
    claim_code: null,
  });
  t.regex(await smsStatus(c, waiting.public_id), new RegExp(`대기 ${waiting.waitlist}번`));

  // Collected at the counter: the site's staff type the code during the slot.
  app.clock.set(at(won.slot.endsWith('-S1') ? 60.5 : 62.5));
  const counter = await app.staff('site_staff', { site_id: site0 });
  const collected = await app.request('POST', `/api/sites/${site0}/collections`, {
    as: counter,
    json: { code },
  });
  t.is(collected.status, 201, collected.text);
  const done = html((await page(c, won.public_id)).text);
  t.regex(done, /수령했습니다/);
  t.notRegex(done, new RegExp(code), 'no claim code once collected');
  t.like((await api(c, won.public_id)).json.result, { kind: 'collected', claim_code: null });
  t.regex(await smsStatus(c, won.public_id), /수령 완료/);

  // Not selected: a campaign that returns unclaimed awards has no waitlist to move up.
  await app.db('campaigns').where({ id: c }).update({ unclaimed_policy: 'return' });
  const lostPage = await page(c, waiting.public_id);
  t.regex(html(lostPage.text), /이번에는 당첨되지 않았습니다/);
  t.regex(
    lostPage.text,
    new RegExp(`href="/campaigns/${c}/audit\\?public_id=${waiting.public_id}#lookup" id="audit-link"`),
  );
  t.like((await api(c, waiting.public_id)).json.result, { kind: 'lost', waitlist: waiting.waitlist });
  t.regex(await smsStatus(c, waiting.public_id), /이번에는 당첨되지 않음/);
  t.regex(await smsStatus(c, waiting.public_id, 'STATUS'), /not selected this time/);

  // The public campaign page links to "my result" and to the audit page.
  const pub = await app.request('GET', `/campaigns/${c}`, { headers: { accept: 'text/html' } });
  t.regex(pub.text, new RegExp(`id="my-result" href="/campaigns/${c}/application"`));
  t.regex(pub.text, new RegExp(`href="/campaigns/${c}/audit" id="audit-link"`));
});

test.serial(
  'expired and promoted: the one who missed the deadline is told, the next one holds it',
  async (t) => {
    // Winners must collect by +62 h; at +62 h uncollected awards expire and pass down (as in promotion.test.ts).
    const { s, reconciler } = await drawnLottery(app, { claimPeriodHours: 57, total: 8 });
    const c = s.campaignId;
    app.clock.set(at(62));
    await reconciler.runOnce();
    const awards = await awardsOf(app.db, c);
    const expired = awards.find((a) => a.status === 'expired')!;
    const promoted = awards.find((a) => a.status === 'promoted')!;
    t.truthy(expired);
    t.truthy(promoted);

    const gone = html((await page(c, expired.public_id)).text);
    t.regex(gone, /수령 기한이 지났습니다/);
    t.like((await api(c, expired.public_id)).json.result, { kind: 'expired', claim_code: null });
    t.regex(await smsStatus(c, expired.public_id), /수령 기한이 지나 당첨 취소/);

    const p = await applicationOf(c, promoted.public_id);
    const code = claimCodeFor(await claimKeyOf(app.db, env, c), p.id);
    const mine = await page(c, promoted.public_id);
    const text = html(mine.text);
    t.regex(text, /당첨되었습니다/);
    t.regex(text, /앞선 당첨자가 받지 않아 대기 순서에 따라 당첨되었습니다/);
    t.regex(mine.text, new RegExp(`id="claim-code">${code}<`));
    t.regex(text, new RegExp(`약국 ${promoted.held_site}`));
    const r = (await api(c, promoted.public_id)).json.result;
    t.like(r, { kind: 'won', promoted: true, claim_code: code, amount: Number(promoted.held_amount) });
    if (promoted.held_slot) t.is(r.slot.id, promoted.held_slot);
    else t.true(r.any_time_until_deadline);
    t.regex(await smsStatus(c, promoted.public_id), new RegExp(`당첨: .*수령번호 ${code}`));
  },
);

test.serial(
  'the audit lookup names the site and the slot time, with status words in the page language',
  async (t) => {
    const { s } = await drawnLottery(app, { applicants: 20 });
    const c = s.campaignId;
    const won = (await awardsOf(app.db, c)).find((a) => a.outcome === 'won')!;
    const ko = await app.request('GET', `/campaigns/${c}/audit?public_id=${won.public_id}`, {
      headers: { accept: 'text/html' },
    });
    t.is(ko.status, 200);
    t.regex(ko.text, new RegExp(`id="lookup-site">약국 ${won.site}<`));
    t.regex(ko.text, /id="lookup-slot">2026-12-03 \(목\) 1[24]:00 – 1[46]:00 /);
    t.regex(ko.text, /id="lookup-status">당첨 \(수령 전\)</);
    t.regex(ko.text, new RegExp(`당첨 · ${won.amount}개`));
    t.notRegex(ko.text, new RegExp(` · ${won.slot}<`), 'no raw slot id');
    t.notRegex(ko.text, />won</, 'no raw status');
    const en = await app.request('GET', `/campaigns/${c}/audit?public_id=${won.public_id}&lang=en`, {
      headers: { accept: 'text/html' },
    });
    t.regex(en.text, new RegExp(`id="lookup-site">Pharmacy ${won.site}<`));
    t.regex(en.text, /id="lookup-slot">2026-12-03 \(Thu\) 1[24]:00 – 1[46]:00 /);
    t.regex(en.text, /id="lookup-status">[A-Z][a-z]+/);
    t.notRegex(en.text, /id="lookup-status">won</);
  },
);

test.serial(
  'before the draw the result is null with when to look again: at the draw time, then every few seconds, spread',
  async (t) => {
    const s = await scheduledScenario(app, 'goods');
    const publicOf = (await addApplications(app.db, s, 6))[0]!;
    const reconciler = drawReconciler(drawContext(app.db, app.clock));
    const waits = async () => {
      const seen = [];
      for (let i = 0; i < 8; i++) {
        const r = await api(s.campaignId, publicOf);
        t.is(r.status, 200, r.text);
        t.is(r.json.result, null);
        t.is(r.json.draw_at, at(4).toISOString());
        t.is(r.headers.get('retry-after'), String(Math.ceil(r.json.poll_after_ms / 1000)));
        seen.push(r.json.poll_after_ms as number);
      }
      t.true(new Set(seen).size > 1, `spread: ${seen}`);
      return seen;
    };
    const within = (xs: number[], lo: number, hi: number) =>
      t.true(
        xs.every((x) => x >= lo && x < hi),
        `${xs} in [${lo}, ${hi})`,
      );

    app.clock.set(at(2)); // the window open, the draw two hours away: look again within ten minutes
    await reconciler.runOnce();
    within(await waits(), 600_000, 605_000);
    app.clock.set(new Date(at(4).getTime() - 20_000)); // closed, the draw 20 s away: look at it
    await reconciler.runOnce();
    within(await waits(), 20_000, 25_000);
    app.clock.set(new Date(at(4).getTime() + 60_000)); // its time passed, no beacon yet: every 5-10 s
    await reconciler.runOnce();
    within(await waits(), 5_000, 10_000);

    await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'lotto 2026-12-01: 1 2 3' });
    await reconciler.runOnce();
    const drawn = await api(s.campaignId, publicOf);
    t.truthy(drawn.json.result?.kind);
    t.false('poll_after_ms' in drawn.json);
    t.false('draw_at' in drawn.json);
    t.is(drawn.headers.get('retry-after'), null);
  },
);

test.serial(
  'a partial award says it is a part of what was asked, and why; a whole one says nothing of it',
  async (t) => {
    const { c, awards } = await drawnAndSent();
    const [whole, part] = awards.filter((a) => a.outcome === 'won');
    // As the allocator leaves it when the stock ran short at this person's turn: the award below the request.
    const asked = Number(part!.amount) + 2;
    await app
      .db('applications')
      .where({ campaign_id: c, public_id: part!.public_id })
      .update({ request: asked });
    const ko = await page(c, part!.public_id);
    t.regex(ko.text, new RegExp(`id="partial">신청하신 ${asked}개 가운데 일부입니다`), ko.text.slice(0, 200));
    const en = await page(c, part!.public_id, 'en');
    t.regex(en.text, /id="partial">Part of the \d+ items you asked for/);
    t.notRegex((await page(c, whole!.public_id)).text, /id="partial"/);
  },
);

test.serial(
  'a winner signs out (a POST with the CSRF token, not a link): the page then asks to verify, not the claim code',
  async (t) => {
    const { c, awards } = await drawnAndSent();
    const won = awards.find((a) => a.outcome === 'won')!;
    const b = residentBrowser(app);
    b.jar.set('resident_session', (await residentHeaders(c, won.public_id))['x-resident-token']);
    const mine = await b.get(`/campaigns/${c}/application`);
    t.is(mine.status, 200);
    t.regex(mine.text, /id="claim-code"/);
    t.regex(
      mine.text,
      /<form method="post" action="\/identity\/signout"[^>]*>.*<button type="submit" class="link">로그아웃<\/button>/,
    );
    t.notRegex(mine.text, /href="\/staff\/login"/, "in the staff sign-in's place");
    const out = formPostOf(mine.text, '/identity/signout');
    t.is(out.campaign, c);
    // A link (a GET) or another site's form (no token) signs nobody out.
    t.not((await b.get('/identity/signout')).status, 303);
    t.is((await b.post('/identity/signout', { campaign: c })).status, 403);
    t.regex((await b.get(`/campaigns/${c}/application`)).text, /id="claim-code"/, 'still signed in');
    const res = await b.post('/identity/signout', out);
    t.is(res.status, 303);
    t.is(res.headers.get('location'), `/campaigns/${c}?signed_out=1`);
    t.false(b.jar.has('resident_session'), 'the session cookie is cleared');
    const back = await b.get(`/campaigns/${c}?signed_out=1`);
    t.regex(back.text, /로그아웃했습니다\./);
    t.notRegex(back.text, /identity\/signout/, 'nothing left to sign out of');
    const again = await b.get(`/campaigns/${c}/application`);
    t.is(again.headers.get('location'), `/campaigns/${c}/apply`);
    const asked = await b.get(`/campaigns/${c}/apply`);
    t.regex(asked.text, /name="phone"/, 'the page asks to verify');
    t.false(asked.text.includes(won.public_id) || /claim-code/.test(asked.text), "none of the person's data");
  },
);

test.serial('an award refused at the counter names the site that refused it, with its phone', async (t) => {
  const drawn = await drawnLottery(app, { applicants: 40 });
  const c = drawn.s.campaignId;
  await fanOutResults(drawn.env, c);
  const won = (await awardsOf(app.db, c)).find((a) => a.outcome === 'won')!;
  await app.db('sites').where({ id: won.site }).update({ phone: '02-555-0101' });
  // as refuseAtCounter leaves it (the refusal itself is tested with the counter)
  await app
    .db('awards')
    .where({ campaign_id: c, public_id: won.public_id })
    .update({ status: 'refused', refused_at: app.clock.now(), refusal_reason: 'no_id' });
  const { name_ko, name_en } = await app.db('sites').where({ id: won.site }).first();
  const ko = await page(c, won.public_id);
  t.regex(ko.text, /아래 수령처나 사업 담당 부서에 문의/);
  t.true(ko.text.includes(`거절한 수령처: ${name_ko} · <a href="tel:02-555-0101">02-555-0101</a>`), ko.text);
  t.true((await page(c, won.public_id, 'en')).text.includes(`Refused at: ${name_en}`));
  // STATUS says it too, and, the campaign having a phone, whom to ask, before the link to the page
  t.regex(await smsStatus(c, won.public_id), /수령처에서 확인되지 않아 당첨 취소\n자세히: \S+$/);
  await app.db('campaigns').where({ id: c }).update(OFFICE_CONTACT);
  t.regex(
    await smsStatus(c, won.public_id),
    /수령처에서 확인되지 않아 당첨 취소\n문의: 02-3396-4000\n자세히: \S+\/application$/,
  );
  t.regex(
    await smsStatus(c, won.public_id, 'STATUS'),
    /award refused at the counter\nQuestions: 02-3396-4000\nDetails: \S+\/application\?lang=en$/,
  );
});

test.serial(
  "a voucher winner's page speaks of paying and the shop, not of a counter and proof",
  async (t) => {
    const drawn = await drawnLottery(app, {
      kind: 'voucher',
      applicants: 10,
      campaign: { discount_bp: 1000 },
    });
    const c = drawn.s.campaignId;
    await fanOutResults(drawn.env, c);
    const won = (await awardsOf(app.db, c)).find((a) => a.outcome === 'won')!;
    // The won notice says what to pay, by when (the award's deadline in Seoul's time) and where: this page.
    const { id, lang } = await applicationOf(c, won.public_id);
    const notice = await app
      .db('messages')
      .where({ dedupe_key: `result:${id}` })
      .first();
    const amount = Number(won.amount);
    const deadline = DateTime.fromJSDate(won.claim_deadline, { zone: 'Asia/Seoul' }).toFormat(
      'yyyy-MM-dd HH:mm',
    );
    t.true(
      String(notice.body).includes(
        lang === 'en'
          ? `You pay: KRW ${(amount * 0.9).toLocaleString('en')} (10% off)\nPay by: ${deadline} (GMT+9)`
          : `결제할 금액: ${(amount * 0.9).toLocaleString('ko-KR')}원 (10% 할인)\n결제 기한: ${deadline} (GMT+9)`,
      ),
      notice.body,
    );
    t.true(String(notice.body).includes(`/campaigns/${c}/application`));
    t.notRegex(String(notice.body), /앱|in the app|수령|[Cc]ollect|[Cc]laim code/);
    const ko = (await page(c, won.public_id)).text;
    t.regex(ko, /id="expiry-note">기한까지 결제하지 않으면/);
    t.regex(ko, /가맹점에서 번호를 보여 주세요/);
    t.notRegex(ko, /수령처에서 거절/);
    const en = (await page(c, won.public_id, 'en')).text;
    t.regex(en, /id="expiry-note">If you do not pay by the deadline/);
    t.notRegex(en, /counter may refuse/);
  },
);

test.serial(
  'a voucher winner gets no claim code or QR token from the API, the page or SMS STATUS: they pay on the site',
  async (t) => {
    const drawn = await drawnLottery(app, { kind: 'voucher', applicants: 10 });
    const c = drawn.s.campaignId;
    await fanOutResults(drawn.env, c);
    const won = (await awardsOf(app.db, c)).find((a) => a.outcome === 'won')!;
    const res = await api(c, won.public_id);
    t.is(res.status, 200, res.text);
    t.like(res.json.result, { kind: 'won', unit: 'KRW', site: null, claim_code: null, qr_payload: null });
    t.deepEqual(res.json.result.bring, []);
    const ko = (await page(c, won.public_id)).text;
    t.notRegex(ko, /id="claim-code"|class="qr"|수령번호/);
    t.notRegex((await page(c, won.public_id, 'en')).text, /id="claim-code"|class="qr"|[Cc]laim code/);
    const sms = await smsStatus(c, won.public_id);
    t.regex(sms, /당첨: .*결제, 기한/);
    t.notRegex(sms, /수령번호/);
    t.notRegex(await smsStatus(c, won.public_id, 'STATUS'), /Claim code/);
    // nothing for a counter to find by a typed code, and nothing an admin can mark collected: it is paid for
    t.is(Number((await app.db('claim_codes').where({ campaign_id: c }).count('* as n'))[0]!.n), 0);
    const admin = await app.staff('admin');
    const collect = await app.request('POST', `/api/admin/campaigns/${c}/awards/${won.public_id}/collect`, {
      as: admin,
      json: {},
    });
    t.is(collect.status, 409, collect.text);
    t.is(collect.json.error.code, 'award_not_collectable');
    t.is((await awardsOf(app.db, c)).find((a) => a.public_id === won.public_id)!.status, 'won');
  },
);
