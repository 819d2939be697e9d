// The browser sign-in with OpenID Connect, end to end against the local provider stand-in, following each
// redirect by hand with the cookies a browser would keep: start -> provider /authorize -> callback with the code
// -> the server exchanges the code at /token -> ID token verified (state and nonce) -> resident session cookie.
// A bad state, a replayed code and an ID token minted for another flow are refused and change nothing.
import test from 'ava';
import { RESIDENT_COOKIE } from '../../src/identity/residentSession.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SteppedClock } from '../helpers/clock.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { type OidcStandIn, startOidcStandIn } from '../helpers/oidcStandIn.js';

let app: TestApp;
let idp: OidcStandIn;
let campaignId: string;

test.before(async () => {
  const clock = new SteppedClock();
  idp = await startOidcStandIn(clock);
  app = await startTestApp({
    clock,
    intake: { limits: ROOMY_LIMITS, oidc: idp.provider({ browserFlow: true }) },
  });
  campaignId = (await openVoucherCampaign(app)).id;
});
test.after.always(async () => {
  await app?.close();
  await idp?.close();
});

/** A browser's cookie jar for the app: name -> value, updated from each Set-Cookie. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(headers: Headers) {
    for (const c of headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** GET on the app as the browser (HTML, cookies); the Location of a redirect comes back as is. */
async function browse(jar: Jar, path: string) {
  const res = await app.request('GET', path, { headers: { accept: 'text/html', cookie: jar.header() } });
  jar.take(res.headers);
  return res;
}

/** Start -> the provider; returns the callback URL the provider sends the browser back to. */
async function signInAtProvider(jar: Jar): Promise<URL> {
  const start = await browse(jar, `/identity/oidc/start?campaign=${campaignId}`);
  if (start.status !== 302) throw new Error(`start: ${start.status} ${start.text}`);
  const authorize = new URL(start.headers.get('location')!);
  const res = await fetch(authorize, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize: ${res.status}`);
  return new URL(res.headers.get('location')!);
}

const count = async (table: string) => Number((await app.db(table).count('* as n'))[0]!.n);

test.serial('authorize -> callback -> token exchange -> verified ID token -> resident session', async (t) => {
  const jar = new Jar();
  const start = await browse(jar, `/identity/oidc/start?campaign=${campaignId}`);
  t.is(start.status, 302);
  const authorize = new URL(start.headers.get('location')!);
  t.is(authorize.origin + authorize.pathname, `${idp.issuer}/authorize`);
  const q = authorize.searchParams;
  t.is(q.get('response_type'), 'code');
  t.is(q.get('client_id'), 'fair-allocation-test');
  t.is(q.get('redirect_uri'), 'http://127.0.0.1/identity/oidc/callback');
  t.regex(q.get('scope') ?? '', /\bopenid\b/);
  t.true((q.get('state') ?? '').length >= 16 && (q.get('nonce') ?? '').length >= 16);
  t.true(jar.cookies.has('oidc_flow'), 'state and nonce ride in a signed, short-lived cookie');
  t.false(jar.cookies.has(RESIDENT_COOKIE));

  const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
  t.is(back.pathname, '/identity/oidc/callback');
  t.is(back.searchParams.get('state'), q.get('state'));
  const exchangesBefore = idp.exchanges.length;
  const callback = await browse(jar, back.pathname + back.search);
  t.is(callback.status, 302, callback.text);
  t.is(callback.headers.get('location'), `/campaigns/${campaignId}/apply`);
  t.deepEqual(idp.exchanges.slice(exchangesBefore), [
    { code: back.searchParams.get('code')!, granted: true },
  ]);
  t.true(jar.cookies.has(RESIDENT_COOKIE), 'a resident session cookie');
  t.false(jar.cookies.has('oidc_flow'), 'the flow cookie is spent');
  const setCookie = callback.headers.getSetCookie().find((c) => c.startsWith(`${RESIDENT_COOKIE}=`))!;
  t.regex(setCookie, /httponly/i);
  t.regex(setCookie, /samesite=lax/i);

  // The session opens the application form, and applying works as this OIDC identity.
  const form = await browse(jar, `/campaigns/${campaignId}/apply`);
  t.is(form.status, 200);
  t.regex(form.text, /신청서 작성/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const applied = await app.request('POST', `/campaigns/${campaignId}/apply`, {
    headers: { accept: 'text/html', cookie: jar.header() },
    form: { _csrf: csrf, amount: '10000' },
  });
  t.is(applied.status, 302, applied.text);
  const row = await app
    .db('applications as a')
    .join('identities as i', 'i.id', 'a.identity_id')
    .where({ 'a.campaign_id': campaignId })
    .first('i.method', 'a.channel');
  t.deepEqual({ ...row }, { method: 'oidc', channel: 'web' });
});

test.serial('a callback whose state does not match the browser is refused and changes nothing', async (t) => {
  idp.subject = 'person-bad-state';
  const jar = new Jar();
  const back = await signInAtProvider(jar);
  const before = { identities: await count('identities'), exchanges: idp.exchanges.length };
  back.searchParams.set('state', 'not-the-state-this-browser-started');
  const res = await browse(jar, back.pathname + back.search);
  t.is(res.status, 401);
  t.false(jar.cookies.has(RESIDENT_COOKIE));
  t.is(await count('identities'), before.identities);
  t.is(idp.exchanges.length, before.exchanges, 'the code was not even exchanged');

  // A callback with no flow cookie at all (another browser, or too late) is refused the same way.
  const stranger = new Jar();
  const res2 = await browse(stranger, back.pathname + back.search);
  t.is(res2.status, 401);
  t.false(stranger.cookies.has(RESIDENT_COOKIE));
});

test.serial('a replayed code is refused by the provider and signs nobody in', async (t) => {
  idp.subject = 'person-replay';
  const jar = new Jar();
  const back = await signInAtProvider(jar);
  const flowCookie = jar.cookies.get('oidc_flow')!;
  const ok = await browse(jar, back.pathname + back.search);
  t.is(ok.status, 302);
  const identities = await count('identities');

  // The same callback again, even with a copy of the original flow cookie: the code is spent.
  const attacker = new Jar();
  attacker.cookies.set('oidc_flow', flowCookie);
  const replay = await browse(attacker, back.pathname + back.search);
  t.is(replay.status, 401);
  t.false(attacker.cookies.has(RESIDENT_COOKIE));
  t.is(idp.exchanges.at(-1)?.granted, false);
  t.is(await count('identities'), identities);
});

test.serial('an ID token carrying another nonce (minted for another flow) is refused', async (t) => {
  idp.subject = 'person-wrong-nonce';
  const jar = new Jar();
  const back = await signInAtProvider(jar);
  const identities = await count('identities');
  idp.forgeNextNonce = 'a-nonce-from-some-other-sign-in';
  const res = await browse(jar, back.pathname + back.search);
  t.is(res.status, 401);
  t.false(jar.cookies.has(RESIDENT_COOKIE));
  t.is(await count('identities'), identities);
});
