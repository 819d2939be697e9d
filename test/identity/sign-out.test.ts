// Signing out ends a resident's session for good: the token is refused afterwards wherever it is sent (the API, the
// rush's fast path, a page with the old cookie), in the process that took the sign-out at once and in another within
// a second; a token that is not valid signs nobody out and changes nothing; housekeeping forgets expired sign-outs.
import test from 'ava';
import { cleanupVerification } from '../../src/commands/cleanupVerification.js';
import {
  createSignedOutSessions,
  RESIDENT_SIGN_OUT_RECHECK_MS,
} from '../../src/commands/residentSignOuts.js';
import { RESIDENT_SESSION_SECONDS, verifyResidentToken } from '../../src/identity/residentSession.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { formPostOf } from '../helpers/formPost.js';
import { openVoucherCampaign, ROOMY_LIMITS, verifyResident } from '../helpers/intake.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp({ intake: { limits: ROOMY_LIMITS, rulesTtlMs: 0 } });
});
test.after.always(async () => app?.close());

const signOuts = () => app.db('resident_sign_outs').count<{ n: string }[]>({ n: '*' }).first();
const jtiOf = async (token: string) =>
  (await verifyResidentToken(TEST_SECRETS.sessionSecret, token, app.clock.now())).jti;

test.serial(
  'over the API: signed out, the token is refused on koa routes and the fast path alike',
  async (t) => {
    const c = await openVoucherCampaign(app);
    const r = await verifyResident(app);
    const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
      headers: r.headers,
      json: { amount: 100_000 },
    });
    t.is(applied.status, 201, applied.text);
    t.is(
      (await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: r.headers })).status,
      200,
    );

    const out = await app.request('DELETE', '/api/identity/session', { headers: r.headers });
    t.is(out.status, 204, out.text);
    const mine = await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: r.headers });
    t.is(mine.status, 401);
    t.is(mine.json.error.code, 'invalid_token');
    t.regex(mine.json.error.message, /signed out/);
    // the first application's route is answered ahead of koa (residentFastPath.ts): it refuses the token too
    const c2 = await openVoucherCampaign(app);
    const fast = await app.request('POST', `/api/campaigns/${c2.id}/application`, {
      headers: r.headers,
      json: { amount: 100_000 },
    });
    t.is(fast.status, 401, fast.text);
    t.is(fast.json.error.code, 'invalid_token');
    t.is((await app.db('applications').where({ campaign_id: c2.id })).length, 0, 'nothing applied');

    // A retried sign-out is no fault; another resident's session is untouched.
    t.is((await app.request('DELETE', '/api/identity/session', { headers: r.headers })).status, 204);
    const other = await verifyResident(app);
    t.is(
      (await app.request('GET', `/api/campaigns/${c.id}/application`, { headers: other.headers })).status,
      404,
    );
  },
);

test.serial('a token that is not valid signs nobody out and is told so', async (t) => {
  const before = Number((await signOuts())!.n);
  const r = await verifyResident(app);
  const forged = `${r.token.slice(0, -4)}AAAA`;
  const res = await app.request('DELETE', '/api/identity/session', {
    headers: { 'x-resident-token': forged },
  });
  t.is(res.status, 401);
  t.is(res.json.error.code, 'invalid_token');
  t.is(Number((await signOuts())!.n), before, 'nothing recorded');
  t.is((await app.request('DELETE', '/api/identity/session')).status, 204, 'no session: nothing to end');
  t.is(Number((await signOuts())!.n), before);
});

test.serial('on a page: the old cookie, sent again after the sign-out, is no session', async (t) => {
  const c = await openVoucherCampaign(app);
  const r = await verifyResident(app);
  await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: r.headers,
    json: { amount: 100_000 },
  });
  const session = `resident_session=${r.token}`;
  const page = await app.request('GET', `/campaigns/${c.id}/application`, { headers: { cookie: session } });
  t.is(page.status, 200);
  const csrf = page.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .find((x) => x!.startsWith('resident_csrf='))!;
  const out = await app.request('POST', '/identity/signout', {
    headers: { cookie: `${session}; ${csrf}` },
    form: formPostOf(page.text, '/identity/signout'),
    redirect: 'manual',
  });
  t.is(out.status, 303, out.text);
  // someone who copied the cookie before the sign-out gets nothing with it
  const replay = await app.request('GET', `/campaigns/${c.id}/application`, {
    headers: { cookie: session },
    redirect: 'manual',
  });
  t.is(replay.headers.get('location'), `/campaigns/${c.id}/apply`);
  t.false(replay.text.includes('claim-code'));
});

test.serial('another process learns of a sign-out within a second; expired ones are forgotten', async (t) => {
  const r = await verifyResident(app);
  const jti = await jtiOf(r.token);
  const elsewhere = createSignedOutSessions(); // another web process's memory
  const ctx = { db: app.db, clock: app.clock };
  t.false(await elsewhere.isSignedOut(ctx, jti));
  t.is((await app.request('DELETE', '/api/identity/session', { headers: r.headers })).status, 204);
  t.false(await elsewhere.isSignedOut(ctx, jti), 'read less than a second ago');
  app.clock.advance(RESIDENT_SIGN_OUT_RECHECK_MS);
  t.true(await elsewhere.isSignedOut(ctx, jti), 'read again a second later');
  t.true(await createSignedOutSessions().isSignedOut(ctx, jti), 'a process started later reads it at once');

  t.is((await app.db('resident_sign_outs').where({ jti })).length, 1);
  app.clock.advance(RESIDENT_SESSION_SECONDS * 1000);
  await cleanupVerification({ db: app.db }, app.clock.now());
  t.is((await app.db('resident_sign_outs').where({ jti })).length, 0, 'gone once its token has expired');
});
