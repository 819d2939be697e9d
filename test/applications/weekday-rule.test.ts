// The birth-year weekday rule (출생연도 5부제) as a resident meets it, in the review's case: a window from Monday
// 01:00 to Wednesday 00:58 (Seoul), so birth years ending in 4, 9, 5 or 0 have no day in it and 3 or 8 have
// 58 minutes. Whoever is not in their time is told when it comes within the window, or that this campaign has
// none for them and whom to ask: on the campaign page, on the verification page, as soon as the birth date is known
// (instead of the form) and on submitting, in the same words, never under "something to fix"; the SMS reply too.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import twilio from 'twilio';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS, setWindow, verifyResident } from '../helpers/intake.js';

const TOKEN = 'test-twilio-auth-token-weekday-rule';
let app: TestApp;
test.before(async () => {
  app = await startTestApp({ config: { TWILIO_AUTH_TOKEN: TOKEN }, intake: { limits: ROOMY_LIMITS } });
  // Monday 7 December 2026, 09:00 in Seoul
  app.clock.set('2026-12-07T09:00:00+09:00');
});
test.after.always(async () => {
  await app?.close();
});

const CONTACT = {
  contact_name_ko: '중구 보건소',
  contact_name_en: 'Jung-gu Health Centre',
  contact_phone: '02-555-0200',
};

/** A campaign under the rule whose window is the review's (set before any page reads its rules). */
async function shortWindow() {
  const c = await openVoucherCampaign(app, {
    eligibility: { regions: [], birth_year_rotation: true },
    ...CONTACT,
  });
  await setWindow(app, c.id, '2026-12-07T01:00:00+09:00', '2026-12-09T00:58:00+09:00');
  return c;
}

async function resident(birth_date: string) {
  const r = await verifyResident(app, { birth_date });
  const headers = { ...r.headers, accept: 'text/html' };
  return {
    get: (path: string) => app.request('GET', path, { headers }),
    post: (path: string, form: Record<string, string>) => app.request('POST', path, { headers, form }),
  };
}

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const NONE_KO =
  '출생연도 끝자리가 5 또는 0인 분은 평일 중 금요일에만 신청할 수 있습니다(출생연도 5부제). ' +
  '이 사업은 12월 9일(수) 00:58 (한국 표준시)에 신청을 마감하는데, 그때까지 금요일도 주말도 남아 있지 않아 ' +
  '이 사업에는 신청할 수 있는 날이 없습니다.';
const NONE_EN =
  'On weekdays, people whose birth year ends in 5 or 0 may apply only on Friday (the birth-year weekday rule). ' +
  'Applications for this campaign close Wednesday 9 December 00:58 (Korean Standard Time), and neither a Friday ' +
  'nor a weekend comes before then, so this campaign has no day on which you can apply.';

test('the campaign page and the verification page list the days this window has, and who has none', async (t) => {
  const c = await shortWindow();
  const page = text(
    (await app.request('GET', `/campaigns/${c.id}`, { headers: { accept: 'text/html' } })).text,
  );
  t.true(page.includes('이 사업의 신청 기간에 신청할 수 있는 때 (한국 표준시):'), page);
  t.true(
    page.includes('12월 7일(월) 01:00부터 24:00까지 출생연도 끝자리 1 또는 6'),
    'the day under way, whole',
  );
  t.true(page.includes('12월 8일(화) 00:00부터 24:00까지 출생연도 끝자리 2 또는 7'));
  t.true(page.includes('12월 9일(수) 00:00부터 00:58까지 출생연도 끝자리 3 또는 8'));
  t.true(
    page.includes(
      '출생연도 끝자리가 4 또는 9, 5 또는 0인 분은 이 사업의 남은 신청 기간에 신청할 수 있는 날이 없습니다. 아래 문의처에 물어보세요.',
    ),
  );
  t.false(page.includes('금요일 '), 'no Friday is offered');
  const en = text(
    (await app.request('GET', `/campaigns/${c.id}?lang=en`, { headers: { accept: 'text/html' } })).text,
  );
  t.true(en.includes('Wednesday 9 December, 00:00 to 00:58 Birth years ending in 3 or 8'), en);
  t.true(en.includes('People whose birth year ends in 4 or 9, 5 or 0 have no day left to apply on'));

  const verify = text(
    (await app.request('GET', `/campaigns/${c.id}/apply`, { headers: { accept: 'text/html' } })).text,
  );
  t.true(verify.includes('출생연도 5부제'));
  t.true(
    verify.includes('12월 9일(수) 00:00부터 00:58까지 출생연도 끝자리 3 또는 8'),
    'before the birth date is typed',
  );
});

test('with no day left, the verified resident is told so and whom to ask, instead of the form (ko and en)', async (t) => {
  const c = await shortWindow();
  const r = await resident('19550101');
  const ko = await r.get(`/campaigns/${c.id}/apply`);
  t.is(ko.status, 200);
  const words = text(ko.text);
  t.true(words.includes(`신청할 수 없습니다 ${NONE_KO}`), words);
  t.true(words.includes('중구 보건소') && ko.text.includes('href="tel:025550200"'), 'whom to ask');
  t.notRegex(ko.text, /name="amount"/, 'no form to fill in for nothing');
  t.false(words.includes('고칠 부분이 있습니다'));
  const en = text((await r.get(`/campaigns/${c.id}/apply?lang=en`)).text);
  t.true(en.includes(`You cannot apply ${NONE_EN}`), en);
});

test('before their day, they are told when it comes within the window; on it, until when it lasts', async (t) => {
  const c = await shortWindow();
  const wed = text((await (await resident('19530315')).get(`/campaigns/${c.id}/apply`)).text);
  t.true(
    wed.includes(
      '지금은 신청할 수 없습니다 출생연도 끝자리가 3 또는 8인 분은 평일 중 수요일에만 신청할 수 있습니다(출생연도 5부제). ' +
        '다음 신청 가능 시간: 12월 9일(수) 00:00부터 00:58까지 (한국 표준시).',
    ),
    wed,
  );
  t.false(wed.includes('문의처'), 'something still to do: no need to ask');

  const mon = await (await resident('19510315')).get(`/campaigns/${c.id}/apply`);
  t.regex(mon.text, /name="amount"/, 'their day: the form');
  t.true(
    text(mon.text).includes(
      '출생연도 5부제: 출생연도 끝자리가 1 또는 6인 분은 12월 7일(월) 24:00 (한국 표준시)까지 신청할 수 있습니다.',
    ),
  );
});

test('a submission on the wrong day is refused in the same words, not as something to fix, and keeps nothing', async (t) => {
  const c = await shortWindow();
  const r = await resident('19550101');
  const ko = await r.post(`/campaigns/${c.id}/apply`, { amount: '10000' });
  t.is(ko.status, 403);
  const words = text(ko.text);
  t.true(words.includes(`신청할 수 없습니다 ${NONE_KO}`), words);
  t.false(words.includes('고칠 부분이 있습니다'), 'no "something to fix" heading');
  t.notRegex(ko.text, /class="error-summary"/);
  const en = text((await r.post(`/campaigns/${c.id}/apply?lang=en`, { amount: '10000' })).text);
  t.true(en.includes(NONE_EN), en);
  t.false(en.includes('There is a problem'));
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
});

test('the API gives the next turn (or none) with the refusal', async (t) => {
  const c = await shortWindow();
  const ask = async (birth_date: string) => {
    const r = await verifyResident(app, { birth_date });
    const res = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 10_000 },
    });
    t.is(res.status, 403);
    return res.json.error.details;
  };
  t.like(await ask('19530315'), {
    reason: 'wrong_weekday',
    day: 'wed',
    digits: '3, 8',
    turn_from: '2026-12-08T15:00:00.000Z',
    turn_until: '2026-12-08T15:58:00.000Z',
    time_zone: 'Asia/Seoul',
  });
  const none = await ask('19550101');
  t.like(none, { reason: 'wrong_weekday', day: 'fri', closes_at: '2026-12-08T15:58:00.000Z' });
  t.false('turn_from' in none);
});

test('by SMS the reply says the same, with the campaign’s phone when no day is left', async (t) => {
  const c = await shortWindow();
  const reply = async (body: string) => {
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+821055507001', Body: body };
    const url = 'http://127.0.0.1/webhooks/twilio/inbound';
    const res = await app.request('POST', '/webhooks/twilio/inbound', {
      form: params,
      headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params) },
    });
    t.is(res.status, 200, res.text);
    const m = await app
      .db('messages')
      .where({ dedupe_key: `sms_reply:${params.MessageSid}` })
      .first('body');
    return String(m?.body ?? '').trim();
  };
  t.is(await reply(`신청 ${c.code} 10000 19550101`), `[공정 배정] ${NONE_KO} 문의: 02-555-0200`);
  t.is(await reply(`APPLY ${c.code} 10000 19550101`), `[Fair Allocation] ${NONE_EN} Questions: 02-555-0200`);
  t.is(
    await reply(`신청 ${c.code} 10000 19530315`),
    '[공정 배정] 출생연도 끝자리가 3 또는 8인 분은 평일 중 수요일에만 신청할 수 있습니다(출생연도 5부제). ' +
      '다음 신청 가능 시간: 12월 9일(수) 00:00부터 00:58까지 (한국 표준시).',
  );
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
});
