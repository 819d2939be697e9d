// The helper's web pages refuse what they must, over plain HTTP: a resident who is not a registered helper, a
// person's verification issued to another helper, a helper past their cap, another helper's receipt, a person
// who already applied, a closed window. Over 300 lines: every case shares the one app this file starts.
import test from 'ava';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signInWithForm } from '../helpers/browserSession.js';
import { fieldError } from '../helpers/fieldError.js';
import { formPostOf } from '../helpers/formPost.js';
import { codeFor, nextPhone, openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';
import { residentBrowser } from '../helpers/residentBrowser.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS } });
});
test.after.always(async () => {
  await app?.close();
});

async function helper(cap: number) {
  const admin = await app.staff('admin');
  const phone = nextPhone();
  const reg = await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone, birth_date: '19700101', kind: 'family', label: '', cap },
  });
  if (reg.status !== 201) throw new Error(reg.text);
  const r = await verifyResident(app, { phone, birth_date: '19700101' });
  return { headers: { ...r.headers, accept: 'text/html' }, proxyId: reg.json.proxy.id as string };
}

/** A verified person's subject token, issued to the given helper, as the pages keep it (a cookie). */
async function subjectCookie(h: { headers: Record<string, string> }, phone = nextPhone()) {
  const sent = await app.request('POST', '/api/proxy/codes', {
    headers: { ...h.headers, accept: 'application/json' },
    json: { phone, birth_date: '19400202' },
  });
  const v = await app.request('POST', '/api/proxy/verify', {
    headers: { ...h.headers, accept: 'application/json' },
    json: { challenge_id: sent.json.challenge_id, code: await codeFor(app, sent.json.challenge_id) },
  });
  return `proxy_subject=${v.json.subject_token}`;
}

/** The helper applies for a newly verified person (10,000 KRW); the answer, a redirect to the receipt. */
const applyAsHelper = async (c: { id: string }, h: { headers: Record<string, string> }) =>
  app.request('POST', `/campaigns/${c.id}/proxy/apply`, {
    headers: { ...h.headers, cookie: await subjectCookie(h) },
    form: { amount: '10000' },
  });

/** A family helper registered by an admin (cap 2), signed in with their own phone. */
async function registeredHelper() {
  const admin = await app.staff('admin');
  const phone = nextPhone();
  await app.request('POST', '/api/admin/proxies', {
    as: admin,
    json: { phone, birth_date: '19700101', kind: 'family', label: '', cap: 2 },
  });
  return { phone, me: await verifyResident(app, { phone, birth_date: '19700101' }) };
}

test('signed out: the helper is asked to verify themselves first, and comes back to the proxy page', async (t) => {
  const c = await openVoucherCampaign(app);
  const res = await app.request('GET', `/campaigns/${c.id}/proxy`, { headers: { accept: 'text/html' } });
  t.is(res.status, 200);
  t.regex(res.text, /<input type="hidden" name="next" value="proxy">/);
});

test('a resident who is not a registered helper gets a plain refusal', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  const res = await app.request('GET', `/campaigns/${c.id}/proxy`, {
    headers: { ...r.headers, accept: 'text/html' },
  });
  t.is(res.status, 403);
  t.true(res.text.includes('등록된 대리 신청인이 아닙니다'));
});

test("another helper's verification of a person opens nothing and applies nothing", async (t) => {
  const c = await openVoucherCampaign(app);
  const a = await helper(5);
  const b = await helper(5);
  const cookie = await subjectCookie(a);
  const page = await app.request('GET', `/campaigns/${c.id}/proxy`, { headers: { ...b.headers, cookie } });
  t.is(page.status, 200);
  t.false(page.text.includes('name="amount"'), 'the start page, not the form');
  const post = await app.request('POST', `/campaigns/${c.id}/proxy/apply`, {
    headers: { ...b.headers, cookie },
    form: { amount: '10000' },
  });
  t.is(post.status, 422);
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  // With the right helper the same cookie shows the form.
  const own = await app.request('GET', `/campaigns/${c.id}/proxy`, { headers: { ...a.headers, cookie } });
  t.true(own.text.includes('name="amount"'));
});

test('the cap: the receipt shows none left, the next attempt is refused on the form and creates nothing', async (t) => {
  const c = await openVoucherCampaign(app);
  const h = await helper(1);
  const first = await applyAsHelper(c, h);
  t.is(first.status, 302, first.text);
  const receiptUrl = first.headers.get('location')!;
  const receipt = await app.request('GET', receiptUrl, { headers: h.headers });
  t.regex(receipt.text, /1명 중 0명 남음/);
  t.regex(receipt.text, /대리 신청/);
  const second = await applyAsHelper(c, h);
  t.is(second.status, 409);
  t.true(second.text.includes('대리 신청 가능 인원을 모두 사용했습니다'));
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);

  // Another helper cannot read that receipt.
  const other = await helper(1);
  t.is((await app.request('GET', receiptUrl, { headers: other.headers })).status, 404);
});

test("a cancelled campaign's proxy receipt says so: no 'apply for another', no changing until the close", async (t) => {
  const c = await openVoucherCampaign(app);
  const h = await helper(2);
  const applied = await applyAsHelper(c, h);
  t.is(applied.status, 302, applied.text);
  const receiptUrl = applied.headers.get('location')!;
  const cancel = await app.request('POST', `/api/admin/campaigns/${c.id}/cancel`, {
    as: await app.staff('admin'),
    json: {},
  });
  t.is(cancel.status, 200, cancel.text);
  app.deps.intake.rules.forget(c.id);
  const receipt = await app.request('GET', receiptUrl, { headers: h.headers });
  t.is(receipt.status, 200);
  t.true(receipt.text.includes('id="campaign-cancelled"'), receipt.text);
  t.true(receipt.text.includes('사업 취소됨'));
  t.false(receipt.text.includes(`/campaigns/${c.id}/proxy"`), 'no button to apply for another');
  t.false(receipt.text.includes(`href="/campaigns/${c.id}"`), 'no link to the campaign page, not public now');
});

test('/admin/proxies: an admin registers a helper with the form (audited); an auditor may look but not register', async (t) => {
  const admin = await signInWithForm(app, 'admin');
  const phone = nextPhone();
  const badCap = await admin.post('/admin/proxies', {
    phone,
    birth_date: '19650707',
    kind: 'staff',
    label: '',
    cap: '0',
  });
  t.is(badCap.status, 422);
  t.regex(badCap.text, /<a href="#f-cap">[^<]*<\/a>: 1에서 500 사이의 정수로 적어 주세요./);
  const badPhone = await admin.post('/admin/proxies', {
    phone: '12',
    birth_date: '19650707',
    kind: 'staff',
    label: '',
    cap: '3',
  });
  t.is(badPhone.status, 422);
  t.regex(
    badPhone.text,
    /<a href="#f-phone">[^<]*<\/a>: 휴대전화 번호를 확인해 주세요 \(예: 010-1234-5678\)/,
  );
  // every fault of one submit at once, on its field in the page's language and in its own words: a field had one
  // sentence for any fault (a label with a text-direction control was told it was too long), and the phone and
  // birth date were checked only once the rest of the form was right
  const faulty = {
    phone: '010-12',
    birth_date: '1965',
    kind: 'staff',
    label: 'look \u202Ehere',
    cap: 'lots',
  };
  for (const [lang, words] of [
    [
      'ko',
      {
        phone: '휴대전화 번호를 확인해 주세요 (예: 010-1234-5678).',
        birth_date: '생년월일을 확인해 주세요 (예: 1982-03-15 또는 19820315).',
        label: '글자 방향 제어 문자(U+202A-202E, U+2066-2069)가 들어 있습니다.',
        cap: '1에서 500 사이의 정수로 적어 주세요.',
      },
    ],
    [
      'en',
      {
        phone: 'Enter a mobile phone number, e.g. 010-1234-5678',
        birth_date: 'Enter a birth date such as 1982-03-15',
        label: 'Contains a text-direction control character (U+202A-202E, U+2066-2069)',
        cap: 'A whole number from 1 to 500',
      },
    ],
  ] as const) {
    const page = await admin.post(`/admin/proxies?lang=${lang}`, faulty);
    t.is(page.status, 422);
    for (const [field, text] of Object.entries(words)) t.is(fieldError(page.text, field), text, field);
  }
  // an empty phone is only that, not also a number the code cannot read
  const empty = await admin.post('/admin/proxies', { ...faulty, phone: '' });
  t.is(fieldError(empty.text, 'phone'), '입력해 주세요.');
  t.is(
    (await app.db('audit_log').where({ action: 'proxy.registered', actor: `staff:${admin.id}` })).length,
    0,
  );
  const ok = await admin.post('/admin/proxies', {
    phone,
    birth_date: '19650707',
    kind: 'staff',
    label: '새마을 주민센터',
    cap: '3',
  });
  t.is(ok.status, 303, ok.text);
  const list = await admin.get('/admin/proxies');
  t.regex(list.text, /새마을 주민센터[\s\S]*0 \/ 3/);
  const audit = await app.db('audit_log').where({ action: 'proxy.registered', actor: `staff:${admin.id}` });
  t.is(audit.length, 1);
  // The registered phone now signs in as a helper.
  const r = await verifyResident(app, { phone, birth_date: '19650707' });
  const c = await openVoucherCampaign(app);
  const page = await app.request('GET', `/campaigns/${c.id}/proxy`, {
    headers: { ...r.headers, accept: 'text/html' },
  });
  t.is(page.status, 200);
  t.regex(page.text, /3명 중 3명 남음/);

  const auditor = await signInWithForm(app, 'auditor');
  t.is((await auditor.get('/admin/proxies')).status, 200);
  const refused = await auditor.post('/admin/proxies', {
    phone: nextPhone(),
    birth_date: '19650707',
    kind: 'staff',
    label: '',
    cap: '3',
  });
  t.is(refused.status, 403);
});

test('the language switch on a page that answered a form goes back to the start of that step, in English', async (t) => {
  const c = await openVoucherCampaign(app);
  for (const [path, to] of [
    [`/campaigns/${c.id}/proxy/code?lang=en`, `/campaigns/${c.id}/proxy`],
    [`/campaigns/${c.id}/proxy/check?lang=en`, `/campaigns/${c.id}/proxy`],
    [`/campaigns/${c.id}/verify/code?lang=en`, `/campaigns/${c.id}/apply`],
  ] as const) {
    const res = await app.request('GET', path, { headers: { accept: 'text/html' } });
    t.is(res.status, 302, path);
    t.is(res.headers.get('location'), to, path);
    t.regex(res.headers.get('set-cookie') ?? '', /lang=en/, path);
  }
  t.is((await app.request('GET', '/campaigns/not-a-campaign/proxy/code')).status, 404);
});

test('a helper who verifies their own phone as the person helped is told to apply on their own page', async (t) => {
  const c = await openVoucherCampaign(app);
  const { phone, me } = await registeredHelper();
  const headers = { ...me.headers, accept: 'text/html' };
  // The resend cooldown counts real seconds (rate-limiter-flexible): let it pass for this test.
  await app.db('rate_limits').where('key', 'like', 'resendCooldown:%').delete();
  const sent = await app.request('POST', `/campaigns/${c.id}/proxy/code`, {
    headers,
    form: { phone, birth_date: '19700101' },
  });
  t.is(sent.status, 200, sent.text);
  const challenge_id = /name="challenge_id" value="([^"]+)"/.exec(sent.text)![1]!;
  const res = await app.request('POST', `/campaigns/${c.id}/proxy/check`, {
    headers,
    form: { challenge_id, code: await codeFor(app, challenge_id) },
  });
  t.is(res.status, 422);
  t.true(res.text.includes('본인 신청 화면에서'));
  t.false((res.headers.get('set-cookie') ?? '').includes('proxy_subject='));
});

const queuedMessages = async () => Number((await app.db('messages').count('* as n'))[0]!.n);

// serial: ava runs it before the others, so counting every queued message counts only this test's
test.serial(
  'the helper verifying a person by form: signed out, a bad phone and a wrong code are refused and nothing is kept',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const h = await helper(5);
    const base = `/campaigns/${c.id}/proxy`;
    const queued = await queuedMessages();

    const signedOut = await app.request('POST', `${base}/code`, {
      headers: { accept: 'text/html' },
      form: { phone: nextPhone(), birth_date: '19400202' },
    });
    t.is(signedOut.status, 302, 'no helper signed in: back to the start');
    t.is(signedOut.headers.get('location'), base);

    const badPhone = await app.request('POST', `${base}/code`, {
      headers: h.headers,
      form: { phone: '12', birth_date: '19400202' },
    });
    t.is(badPhone.status, 422);
    t.regex(badPhone.text, /<li><a href="#phone">/, 'the summary points at the phone field');
    t.is(await queuedMessages(), queued, 'no code sent');

    const sent = await app.request('POST', `${base}/code`, {
      headers: h.headers,
      form: { phone: nextPhone(), birth_date: '19400202' },
    });
    t.is(sent.status, 200, sent.text);
    const challenge = /name="challenge_id" value="([^"]+)"/.exec(sent.text)?.[1] ?? '';
    t.truthy(challenge);
    const right = await codeFor(app, challenge);
    const wrong = await app.request('POST', `${base}/check`, {
      headers: h.headers,
      form: { challenge_id: challenge, code: right === '000000' ? '111111' : '000000' },
    });
    t.is(wrong.status, 422);
    t.is(
      wrong.headers.getSetCookie().filter((k) => k.startsWith('proxy_subject=')).length,
      0,
      'no verification kept',
    );
    t.regex(wrong.text, new RegExp(`value="${challenge}"`), 'the code page again, for the same request');
    t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  },
);

test('a bad phone number on the proxy form is marked on its field, for screen readers too; nothing is sent', async (t) => {
  const c = await openVoucherCampaign(app);
  const { me } = await registeredHelper();
  const before = await app.db('verification_challenges').count({ n: '*' }).first();
  const res = await app.request('POST', `/campaigns/${c.id}/proxy/code`, {
    headers: { ...me.headers, accept: 'text/html' },
    form: { phone: '010-12', birth_date: '19400202' },
  });
  t.is(res.status, 422, res.text);
  t.regex(res.text, /<a href="#phone">/);
  t.regex(res.text, /<input id="phone"[^>]* aria-invalid="true"/);
  t.notRegex(res.text, /<input id="birth_date"[^>]* aria-invalid/);
  t.deepEqual(await app.db('verification_challenges').count({ n: '*' }).first(), before);
});

test('signed out, the later steps and a receipt lead back to the start', async (t) => {
  const c = await openVoucherCampaign(app);
  const base = `/campaigns/${c.id}/proxy`;
  for (const [method, path] of [
    ['POST', `${base}/check`],
    ['POST', `${base}/apply`],
    ['GET', `${base}/receipts/A1B2C3D4`],
  ] as const) {
    const res = await app.request(method, path, {
      headers: { accept: 'text/html' },
      ...(method === 'POST' ? { form: { challenge_id: 'x', code: '123456', amount: '10000' } } : {}),
    });
    t.is(res.status, 302, path);
    t.is(res.headers.get('location'), base, path);
  }
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
});

test("'start again' drops the person's verification: the start page, and the cookie is cleared", async (t) => {
  const c = await openVoucherCampaign(app);
  const h = await helper(3);
  const cookie = await subjectCookie(h);
  const restart = await app.request('GET', `/campaigns/${c.id}/proxy?restart=1`, {
    headers: { ...h.headers, cookie },
  });
  t.is(restart.status, 200);
  t.false(restart.text.includes('name="amount"'), 'the start page, not the form');
  t.true(restart.headers.getSetCookie().some((k) => /^proxy_subject=;/.test(k)));
  const check = await app.request('POST', `/campaigns/${c.id}/proxy/check`, {
    headers: { ...h.headers, cookie },
    form: { code: '123456' },
  });
  t.is(check.status, 422, 'a code without its request: the code page again');
  t.regex(check.text, /name="challenge_id" value=""/);
});

test('a helper signs out at a shared PC: their session and their verification of the person helped both go', async (t) => {
  const c = await openVoucherCampaign(app);
  const h = await helper(3);
  const b = residentBrowser(app);
  b.jar.set('resident_session', (h.headers as Record<string, string>)['x-resident-token']!);
  b.jar.set('proxy_subject', (await subjectCookie(h)).slice('proxy_subject='.length));
  const form = await b.get(`/campaigns/${c.id}/proxy`);
  t.true(form.text.includes('name="amount"'), "the person's application form");
  const out = formPostOf(form.text, '/identity/signout');
  t.is(out.campaign, c.id, 'the sign-out names the campaign whose proxy pages hold the verification');
  const res = await b.post('/identity/signout', out);
  t.is(res.status, 303);
  t.is(res.headers.get('location'), `/campaigns/${c.id}?signed_out=1`);
  const cleared = res.headers.getSetCookie();
  t.true(
    cleared.some((k) => /^resident_session=;/.test(k) && /path=\/;/.test(k)),
    cleared.join('\n'),
  );
  t.true(
    cleared.some((k) => /^proxy_subject=;/.test(k) && k.includes(`path=/campaigns/${c.id}/proxy;`)),
    cleared.join('\n'),
  );
  const after = await b.get(`/campaigns/${c.id}/proxy`);
  t.false(after.text.includes('name="amount"'), 'no form for the person any more');
  t.regex(after.text, /name="next" value="proxy"/, 'the helper is asked to verify themselves again');
});

test('a person who already applied on their own: the helper sees that receipt as already applied, nothing is added', async (t) => {
  const c = await openVoucherCampaign(app);
  const phone = nextPhone();
  const person = await verifyResident(app, { phone, birth_date: '19400202' });
  const own = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: person.headers,
    json: { amount: 30_000 },
  });
  t.is(own.status, 201, own.text);
  // The resend cooldown counts real seconds (rate-limiter-flexible): let it pass for the helper's code.
  await app.db('rate_limits').where('key', 'like', 'resendCooldown:%').delete();
  const h = await helper(3);
  const res = await app.request('POST', `/campaigns/${c.id}/proxy/apply`, {
    headers: { ...h.headers, cookie: await subjectCookie(h, phone) },
    form: { amount: '10000' },
  });
  t.is(res.status, 200, res.text.slice(0, 300));
  t.true(res.text.includes('이분은 이미 신청하셨습니다'));
  t.true(res.text.includes(own.json.receipt.public_id));
  t.true(
    res.headers.getSetCookie().some((k) => /^proxy_subject=;/.test(k)),
    'the verification is used up',
  );
  const rows = await app.db('applications').where({ campaign_id: c.id });
  t.is(rows.length, 1);
  t.is(rows[0].proxy_id, null, 'still the person’s own application');
  t.is(Number(rows[0].request), 30_000);
});

test("after the window closes, the helper's form is refused with the window's message and nothing is written", async (t) => {
  const c = await openVoucherCampaign(app);
  await app.db.raw(
    `UPDATE campaigns SET state = 'closed', closes_at = now() - interval '1 minute' WHERE id = ?`,
    [c.id],
  );
  const h = await helper(3);
  const res = await app.request('POST', `/campaigns/${c.id}/proxy/apply?lang=en`, {
    headers: { ...h.headers, cookie: await subjectCookie(h) },
    form: { amount: '10000' },
  });
  t.is(res.status, 409);
  t.true(res.text.includes('The application window has closed'));
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  t.is((await app.db('proxies').where({ id: h.proxyId }).first()).used, 0, 'the cap is not spent');
});
