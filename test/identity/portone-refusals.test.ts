// 본인인증 through the development stand-in, refused where it must be: no flow cookie, another browser's id, a
// person who gave up, a stand-in form missing what a carrier would confirm, and a service without it at all.
// Each is its stable code and no identity is created.
import test from 'ava';
import { createDevVerifier } from '../../src/identity/portone.js';
import { type Reply, startTestApp, type TestApp } from '../helpers/app.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

let app: TestApp;
let campaignId: string;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, portone: createDevVerifier() } });
  campaignId = (await openVoucherCampaign(app, { verification_methods: ['sms', 'portone'] })).id;
});
test.after.always(async () => {
  await app?.close();
});

const identities = async () => Number((await app.db('identities').count('* as n'))[0]!.n);
const cookiesOf = (res: Reply) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** A started flow: its cookie and the stand-in page the browser is sent to. */
async function start() {
  const res = await app.request('GET', `/identity/portone/start?campaign=${campaignId}`);
  const to = new URL(res.headers.get('location') ?? '', app.url);
  return { cookie: cookiesOf(res), id: to.searchParams.get('identityVerificationId') ?? '', page: to };
}

test.serial('completion without the flow cookie, or for another id, is invalid_token', async (t) => {
  const before = await identities();
  const flow = await start();
  t.regex(flow.id, /^iv-[0-9a-f]{32}$/);
  const complete = (id: string, cookie?: string) =>
    app.request('GET', `/identity/portone/complete?identityVerificationId=${id}`, {
      ...(cookie ? { headers: { cookie } } : {}),
    });
  const noCookie = await complete(flow.id);
  t.is(noCookie.status, 401);
  t.is(noCookie.json.error.code, 'invalid_token');
  const other = await complete(`iv-${'0'.repeat(32)}`, flow.cookie);
  t.is(other.json.error.code, 'invalid_token');
  t.is(await identities(), before);
});

test.serial(
  'a person who gave up at the provider goes back to the campaign, verified as nobody',
  async (t) => {
    const before = await identities();
    const flow = await start();
    const res = await app.request(
      'GET',
      `/identity/portone/complete?identityVerificationId=${flow.id}&code=IDENTITY_VERIFICATION_CANCELLED`,
      { headers: { cookie: flow.cookie } },
    );
    t.is(res.status, 302);
    t.is(res.headers.get('location'), `/campaigns/${campaignId}/apply?verify=cancelled`);
    t.is(await identities(), before);
  },
);

test.serial('the stand-in form names what is missing, and refuses a flow it did not start', async (t) => {
  const before = await identities();
  const flow = await start();
  const html = { accept: 'text/html' };
  const page = await app.request('GET', flow.page.pathname + flow.page.search, { headers: html });
  t.is(page.status, 200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const cookie = [flow.cookie, cookiesOf(page)].filter(Boolean).join('; ');
  const post = (form: Record<string, string>) =>
    app.request('POST', flow.page.pathname, { headers: { ...html, cookie }, form: { _csrf: csrf, ...form } });
  const given = {
    identityVerificationId: flow.id,
    redirectUrl: flow.page.searchParams.get('redirectUrl') ?? '',
  };
  const empty = await post({ ...given, name: '', phone: '12', birth_date: 'soon' });
  t.is(empty.status, 422, empty.text.slice(0, 200));
  for (const missing of ['이름을 입력해 주세요', '휴대폰 번호를 입력해 주세요', '생년월일을 입력해 주세요'])
    t.true(empty.text.includes(missing), missing);
  const noName = await post({ ...given, name: ' ', phone: '010-5556-0001', birth_date: '19500505' });
  t.is(noName.status, 422, 'a name alone missing is still refused');
  t.true(noName.text.includes('이름을 입력해 주세요'));
  const foreign = await post({
    ...given,
    redirectUrl: 'https://evil.example/',
    name: 'Kim',
    phone: '010-5556-0001',
    birth_date: '19500505',
  });
  t.is(foreign.status, 401, 'invalid_token: the only refusal answered 401 here');
  // A form with the fields left out altogether (not sent blank) names the same three.
  const absent = await post(given);
  t.is(absent.status, 422);
  for (const missing of ['이름을 입력해 주세요', '휴대폰 번호를 입력해 주세요', '생년월일을 입력해 주세요'])
    t.true(absent.text.includes(missing), missing);
  const person = { name: 'Kim', phone: '010-5556-0001', birth_date: '19500505' };
  const noId = await post({ redirectUrl: given.redirectUrl, ...person });
  t.is(noId.status, 401, 'no flow named');
  t.is((await post({ identityVerificationId: flow.id, ...person })).status, 401, 'no way back named');
  // Opened by hand, without a flow: an empty form, which can then only be refused.
  const bare = await app.request('GET', flow.page.pathname, { headers: html });
  t.is(bare.status, 200);
  t.true(bare.text.includes('name="identityVerificationId" value=""'));
  t.true(bare.text.includes('name="redirectUrl" value=""'));
  t.is(await identities(), before);
});

test.serial('a service without 본인인증 refuses to start it and has no stand-in page', async (t) => {
  const bare = await startTestApp({ database: app.database, intake: { limits: ROOMY_LIMITS } });
  try {
    const startRes = await bare.request('GET', `/identity/portone/start?campaign=${campaignId}`);
    t.is(startRes.status, 503);
    t.is(startRes.json.error.code, 'oidc_unavailable');
    const dev = await bare.request('GET', '/dev/identity-verification');
    t.is(dev.status, 404);
    t.is(dev.json.error.code, 'not_found');
    const posted = await bare.request('POST', '/dev/identity-verification', {
      form: { identityVerificationId: `iv-${'0'.repeat(32)}`, name: 'Kim', phone: '010-5556-0001' },
    });
    t.is(posted.status, 404, 'nothing to post a person to');
    t.is(posted.json.error.code, 'not_found');
  } finally {
    await bare.close();
  }
});
