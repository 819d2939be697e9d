// One person, one application: every bypass of the typed-birth-date key, now answered by duplicate_application
// with the existing receipt (or a clear refusal), against real PostgreSQL.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { counterFactsFor } from '../../src/commands/counterFacts.js';
import { replaceGroupList } from '../../src/db/repos/groupMembers.js';
import { verifiedKey } from '../../src/identity/crypto.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { SteppedClock } from '../helpers/clock.js';
import { type PortOneStandIn, startPortOneStandIn } from '../helpers/identityVerificationStandIn.js';
import { codeFor, nextPhone, openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';
import { type OidcStandIn, startOidcStandIn } from '../helpers/oidcStandIn.js';

const AMPLE = { points: 1000, seconds: 1 };
let app: TestApp;
let idp: OidcStandIn;
let portone: PortOneStandIn;

test.before(async () => {
  const clock = new SteppedClock();
  idp = await startOidcStandIn(clock);
  portone = await startPortOneStandIn();
  app = await startTestApp({
    clock,
    // one phone asks for several codes here: the resend cooldown is not what these tests are about
    intake: {
      limits: { ...ROOMY_LIMITS, resendCooldown: AMPLE, codesPerTarget: AMPLE },
      oidc: idp.provider(),
      portone: portone.verifier(),
    },
  });
});
test.after.always(async () => {
  await app?.close();
  await idp?.close();
  await portone?.close();
});

const apply = (c: { id: string }, headers: Record<string, string>, json: Record<string, unknown> = {}) =>
  app.request('POST', `/api/campaigns/${c.id}/application`, { headers, json: { amount: 100_000, ...json } });

async function oidcSignIn(sub: string) {
  const n = (await app.request('POST', '/api/identity/oidc/nonce')).json;
  const res = await app.request('POST', '/api/identity/oidc', {
    json: { id_token: await idp.idToken({ nonce: n.nonce, sub }), nonce_proof: n.nonce_proof },
  });
  if (res.status !== 200) throw new Error(res.text);
  return { 'x-resident-token': res.json.token as string };
}

/** The browser 본인인증 flow: start (cookie with our id), the provider verifies, completion reads the result. */
async function portoneSignIn(
  campaignId: string,
  customer: { ci: string; birthDate: string; phoneNumber?: string },
  status?: string,
) {
  const start = await app.request('GET', `/identity/portone/start?campaign=${campaignId}`);
  const id = /"identityVerificationId":"(iv-[0-9a-f]+)"/.exec(start.text)?.[1];
  if (!id) throw new Error(`no verification id: ${start.status}`);
  const flow = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  portone.verify(id, customer, status);
  const done = await app.request('GET', `/identity/portone/complete?identityVerificationId=${id}`, {
    headers: { cookie: flow },
    redirect: 'manual',
  });
  return { id, flow, done };
}

function sessionCookie(res: { headers: Headers }) {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('resident_session=') && c.length > 'resident_session='.length);
}

test('the same phone with other birth dates over the API: one application, the existing receipt', async (t) => {
  const c = await openVoucherCampaign(app);
  const phone = nextPhone();
  const first = await apply(c, (await verifyResident(app, { phone, birth_date: '19820315' })).headers);
  t.is(first.status, 201, first.text);
  for (const birth_date of ['19820316', '19500101']) {
    const again = await apply(c, (await verifyResident(app, { phone, birth_date })).headers, {
      amount: 250_000,
    });
    t.is(again.status, 409, again.text);
    t.is(again.json.error.code, 'duplicate_application');
    t.is(again.json.error.details.receipt.public_id, first.json.receipt.public_id);
  }
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);
});

test('the same phone with another birth date on the web lands on the existing receipt', async (t) => {
  const c = await openVoucherCampaign(app);
  const phone = nextPhone();
  await apply(c, (await verifyResident(app, { phone, birth_date: '19820315' })).headers);
  const r = await verifyResident(app, { phone, birth_date: '19500101' });
  const page = await app.request('GET', `/campaigns/${c.id}/apply`, {
    headers: r.headers,
    redirect: 'manual',
  });
  // already applied: the form is not offered again, the receipt is
  t.is(page.status, 302);
  t.is(page.headers.get('location'), `/campaigns/${c.id}/application`);
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 1);
});

test('SMS: four APPLY texts with four dates from one number give one application', async (t) => {
  const c = await openVoucherCampaign(app, { code: `SMS${randomBytes(2).toString('hex').toUpperCase()}` });
  const from = '+821055507777';
  const sids: string[] = [];
  for (const birth of ['19820315', '19820316', '19500101', '19990101']) {
    const MessageSid = `SM${randomBytes(16).toString('hex')}`;
    sids.push(MessageSid);
    const res = await app.request('POST', '/webhooks/twilio/inbound', {
      form: { MessageSid, From: from, Body: `APPLY ${c.code} 250000 ${birth}` },
    });
    t.true(res.status < 300, res.text);
  }
  const apps = await app.db('applications').where({ campaign_id: c.id });
  t.is(apps.length, 1);
  const outcomes = await app
    .db('sms_inbound')
    .whereIn('message_sid', sids)
    .orderBy('received_at')
    .pluck('outcome');
  t.deepEqual(outcomes.sort(), [
    'duplicate_application',
    'duplicate_application',
    'duplicate_application',
    'ok',
  ]);
});

test('OIDC then a code for the phone its token verified: one person, the existing receipt', async (t) => {
  const c = await openVoucherCampaign(app);
  const first = await apply(c, await oidcSignIn(`sub-${randomBytes(4).toString('hex')}`));
  t.is(first.status, 201, first.text);
  // the stand-in's ID tokens carry the verified phone +821099998888
  const byCode = await verifyResident(app, { phone: '010-9999-8888', birth_date: '19820315' });
  const again = await apply(c, byCode.headers);
  t.is(again.json.error.code, 'duplicate_application');
  t.is(again.json.error.details.receipt.public_id, first.json.receipt.public_id);
  // and in the other order, in a fresh campaign: the code first, then the provider
  const d = await openVoucherCampaign(app);
  const viaCode = await apply(d, byCode.headers);
  t.is(viaCode.status, 201, viaCode.text);
  const viaOidc = await apply(d, await oidcSignIn(`sub-${randomBytes(4).toString('hex')}`));
  t.is(viaOidc.json.error.code, 'duplicate_application');
  t.is(viaOidc.json.error.details.receipt.public_id, viaCode.json.receipt.public_id);
});

test('본인인증 with one CI from two phones: one person; the birth date is the provider’s', async (t) => {
  const c = await openVoucherCampaign(app, { verification_methods: ['sms', 'portone'] });
  const ci = randomBytes(32).toString('base64');
  const one = await portoneSignIn(c.id, { ci, birthDate: '1950-05-05', phoneNumber: '01055501111' });
  t.is(one.done.status, 302, one.done.text);
  t.is(portone.asked.at(-1), one.id);
  const session = sessionCookie(one.done);
  t.truthy(session);
  // Apply on the web with the session cookie.
  const form = await app.request('GET', `/campaigns/${c.id}/apply`, { headers: { cookie: session! } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  // The form and the header's sign-out share one token and one cookie on the first page a browser gets
  const tokens = new Set([...form.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
  t.is(tokens.size, 1, 'one token on the page');
  t.true(form.text.includes('action="/identity/signout"'), 'the page has the sign-out form too');
  const setCookies = form.headers.getSetCookie();
  t.is(
    setCookies.filter((x) => x.startsWith(setCookies[0]!.split('=')[0]!)).length,
    1,
    'one CSRF cookie set',
  );
  const csrfCookie = setCookies.map((x) => x.split(';')[0]).join('; ');
  const applied = await app.request('POST', `/campaigns/${c.id}/apply`, {
    headers: { cookie: `${session}; ${csrfCookie}` },
    form: { _csrf: csrf!, amount: '100000' },
    redirect: 'manual',
  });
  t.is(applied.status, 302, applied.text);
  const row = await app.db('applications').where({ campaign_id: c.id }).first();
  t.is(row.birth_date_source, 'provider');
  t.false(String(row.birth_date_enc).includes('1950'));
  const checks = await counterFactsFor(
    { db: app.db, clock: app.clock, secrets: TEST_SECRETS },
    c.id,
    row.public_id,
  );
  t.deepEqual(checks, [{ kind: 'birth_year', birth_year: 1950, source: 'provider', check: false }]);

  const two = await portoneSignIn(c.id, { ci, birthDate: '1950-05-05', phoneNumber: '01055502222' });
  const viaApi = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { cookie: `${sessionCookie(two.done)}; ${csrfCookie}`, 'x-csrf-token': csrf! },
    json: { amount: 250_000 },
  });
  t.is(viaApi.json.error.code, 'duplicate_application', viaApi.text);
  t.is(viaApi.json.error.details.receipt.public_id, row.public_id);
  // the CI is never stored raw
  t.false(JSON.stringify(await app.db('identity_keys')).includes(ci));
  // a verification result signs in once
  const replay = await app.request('GET', `/identity/portone/complete?identityVerificationId=${two.id}`, {
    headers: { cookie: two.flow },
    redirect: 'manual',
  });
  t.is(replay.status, 401);
});

test('an email identity where the campaign does not allow email is refused', async (t) => {
  const c = await openVoucherCampaign(app);
  const sent = await app.request('POST', '/api/identity/codes', {
    json: {
      channel: 'email',
      email: `p${randomBytes(3).toString('hex')}@example.org`,
      birth_date: '19820315',
    },
  });
  const code = await codeFor(app, sent.json.challenge_id);
  const v = await app.request('POST', '/api/identity/verify', {
    json: { challenge_id: sent.json.challenge_id, code },
  });
  const res = await apply(c, { 'x-resident-token': v.json.token });
  t.is(res.status, 403);
  t.is(res.json.error.code, 'verification_not_allowed');
  t.deepEqual(res.json.error.details.allowed, ['sms', 'oidc']);
  const allowing = await openVoucherCampaign(app, { verification_methods: ['sms', 'email'] });
  t.is((await apply(allowing, { 'x-resident-token': v.json.token })).status, 201);
});

test('a restricted group without being on the list is refused; on the imported list it is accepted', async (t) => {
  const group = {
    name: 'basic',
    name_ko: '기초생활수급자',
    name_en: 'Basic livelihood',
    reserved: 0,
    weight: 2,
    check: 'list',
  };
  const c = await openVoucherCampaign(app, { groups: [group] });
  const listed = nextPhone();
  await app.db.transaction((trx) =>
    replaceGroupList(trx, c.id, 'basic', [
      { kind: 'phone', ...pick(verifiedKey.phone(TEST_SECRETS, e164(listed))) },
    ]),
  );
  const outsider = await verifyResident(app);
  const refused = await apply(c, outsider.headers, { group: 'basic' });
  t.is(refused.status, 403);
  t.is(refused.json.error.code, 'not_eligible');
  t.is(refused.json.error.details.reason, 'group_not_listed');
  t.is(refused.json.error.details.group_ko, '기초생활수급자');
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  const ok = await apply(c, (await verifyResident(app, { phone: listed })).headers, { group: 'basic' });
  t.is(ok.status, 201, ok.text);
  const row = await app.db('applications').where({ public_id: ok.json.receipt.public_id }).first();
  t.is(row.group_source, 'list');
  t.false(JSON.stringify(await app.db('group_members')).includes(listed.replace(/-/g, '').slice(1)));
});

test('a declared group and a typed birth date are shown to the counter as things to check', async (t) => {
  const group = {
    name: 'disabled',
    name_ko: '장애인',
    name_en: 'Registered disability',
    proof_ko: '장애인등록증',
    proof_en: 'disability card',
    reserved: 0,
    weight: 2,
  };
  const c = await openVoucherCampaign(app, { groups: [group] });
  const res = await apply(c, (await verifyResident(app, { birth_date: '19820315' })).headers, {
    group: 'disabled',
  });
  t.is(res.status, 201, res.text);
  const checks = await counterFactsFor(
    { db: app.db, clock: app.clock, secrets: TEST_SECRETS },
    c.id,
    res.json.receipt.public_id,
  );
  t.deepEqual(checks, [
    { kind: 'birth_year', birth_year: 1982, source: 'declared', check: true },
    {
      kind: 'group',
      group: 'disabled',
      label_ko: '장애인',
      label_en: 'Registered disability',
      source: 'declared',
      proof_ko: '장애인등록증',
      proof_en: 'disability card',
      check: true,
    },
  ]);
});

// Serial: it counts identities and reads the stand-in's log, which the tests running at once add to.
test.serial(
  '본인인증 answers that sign nobody in (not finished, no CI, no usable birth date); one without a phone number signs in with no contact',
  async (t) => {
    const c = await openVoucherCampaign(app, { verification_methods: ['portone'] });
    const identities = async () => Number((await app.db('identities').count('* as n'))[0]!.n);
    const before = await identities();
    const ci = () => randomBytes(32).toString('base64');
    const refusals: Array<[string, Parameters<typeof portoneSignIn>[1], string?]> = [
      ['not finished', { ci: ci(), birthDate: '1950-05-05' }, 'READY'],
      ['no CI', { ci: '', birthDate: '1950-05-05' }],
      ['a birth date that is no date', { ci: ci(), birthDate: '1950-13-45' }],
    ];
    for (const [what, customer, status] of refusals) {
      const { done } = await portoneSignIn(c.id, customer, status);
      t.is(done.status, 401, `${what}: ${done.text}`);
      t.regex(done.text, /identity_verification_failed|본인인증/, what);
      t.falsy(sessionCookie(done), `${what}: no session`);
    }
    t.is(await identities(), before, 'no identity was created');
    const bare = await portoneSignIn(c.id, { ci: ci(), birthDate: '1950-05-05' });
    t.is(bare.done.status, 302, bare.done.text);
    const session = sessionCookie(bare.done)!;
    const form = await app.request('GET', `/campaigns/${c.id}/apply`, { headers: { cookie: session } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
    const csrfCookie = form.headers
      .getSetCookie()
      .map((x) => x.split(';')[0])
      .join('; ');
    const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: { cookie: `${session}; ${csrfCookie}`, 'x-csrf-token': csrf! },
      json: { amount: 100_000 },
    });
    t.is(applied.status, 201, applied.text);
    const row = await app.db('applications').where({ campaign_id: c.id }).first();
    t.is(row.contact_enc, null);
    t.is(row.birth_date_source, 'provider');
    t.is((await app.db('messages').where({ campaign_id: c.id })).length, 0);
  },
);

const elderly = {
  name: 'elderly',
  name_ko: '65세 이상',
  name_en: 'Aged 65 and over',
  reserved: 0,
  weight: 2,
  check: 'age',
  min_age: 65,
};

test('a provider sign-in with no phone, email or birth date: an age group asks for the date; applying seals nothing and sends no receipt', async (t) => {
  const c = await openVoucherCampaign(app, { groups: [elderly] });
  const n = (await app.request('POST', '/api/identity/oidc/nonce')).json;
  const signedIn = await app.request('POST', '/api/identity/oidc', {
    json: {
      id_token: await idp.idToken({
        nonce: n.nonce,
        sub: `bare-${randomBytes(4).toString('hex')}`,
        claims: {},
      }),
      nonce_proof: n.nonce_proof,
    },
  });
  t.is(signedIn.status, 200, signedIn.text);
  t.is(signedIn.json.identity.birth_date, null);
  const headers = { 'x-resident-token': signedIn.json.token };
  const refused = await apply(c, headers, { group: 'elderly' });
  t.is(refused.status, 403, refused.text);
  t.is(refused.json.error.code, 'not_eligible');
  t.is(refused.json.error.details.reason, 'birth_date_required');
  t.is(refused.json.error.details.group_ko, undefined, 'no group to name: the date is what is missing');
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  const ok = await apply(c, headers);
  t.is(ok.status, 201, ok.text);
  const row = await app.db('applications').where({ public_id: ok.json.receipt.public_id }).first();
  t.is(row.contact_enc, null);
  t.is(row.birth_date_enc, null);
  t.is(row.birth_date_source, null);
  t.is(row.group_source, null);
  t.is((await app.db('messages').where({ campaign_id: c.id })).length, 0, 'no one to send a receipt to');
});

test("an age group: too young is refused with its youngest age; a provider birth date old enough is the provider's", async (t) => {
  const c = await openVoucherCampaign(app, { groups: [elderly] });
  const young = await apply(c, (await verifyResident(app, { birth_date: '19900101' })).headers, {
    group: 'elderly',
  });
  t.is(young.status, 403, young.text);
  t.is(young.json.error.details.reason, 'group_too_young');
  t.is(young.json.error.details.min_age, 65);
  t.is(young.json.error.details.group_en, 'Aged 65 and over');
  t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);
  const old = await apply(c, await oidcSignIn(`old-${randomBytes(4).toString('hex')}`), { group: 'elderly' });
  t.is(old.status, 201, old.text);
  const row = await app.db('applications').where({ public_id: old.json.receipt.public_id }).first();
  t.is(row.group_source, 'provider');
  t.is(row.birth_date_source, 'provider');
});

test('someone who withdrew and comes back with a birth date the campaign refuses is told why, not "you applied"', async (t) => {
  const c = await openVoucherCampaign(app, { eligibility: { max_age: 80, regions: ['중구'] } });
  const phone = nextPhone();
  const first = await verifyResident(app, { phone });
  const applied = await apply(c, first.headers, { region: '중구' });
  t.is(applied.status, 201, applied.text);
  const gone = await app.request('DELETE', `/api/campaigns/${c.id}/application`, { headers: first.headers });
  t.is(gone.json.receipt.status, 'withdrawn');
  const older = await verifyResident(app, { phone, birth_date: '19300101' });
  const refused = await apply(c, older.headers, { region: '중구' });
  t.is(refused.status, 403, refused.text);
  t.is(refused.json.error.code, 'not_eligible');
  t.is(refused.json.error.details.reason, 'too_old');
  t.is((await app.db('applications').where({ campaign_id: c.id }).first()).status, 'withdrawn');
  // With the date that was eligible, the withdrawn application is taken up again under its public id.
  const back = await apply(c, first.headers, { region: '중구' });
  t.is(back.status, 200, back.text); // taken up again, not created
  t.is(back.json.receipt.public_id, applied.json.receipt.public_id);
  t.is((await app.db('applications').where({ campaign_id: c.id }).first()).status, 'active');
});

function e164(p: string) {
  return `+82${p.replace(/-/g, '').slice(1)}`;
}
function pick(k: { hash: string }) {
  return { key_hash: k.hash };
}
