// OpenID Connect against a local provider stand-in on 127.0.0.1 that serves its own JWKS:
// a good token signs in; tampered, expired, alg none, wrong audience/issuer/nonce and foreign keys do not.
// A group list of subjects lets the person signed in with one claim the group.
import test from 'ava';
import { generateKeyPair } from 'jose';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SteppedClock } from '../helpers/clock.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';
import { type IdTokenOptions, type OidcStandIn, startOidcStandIn } from '../helpers/oidcStandIn.js';

let app: TestApp;
let idp: OidcStandIn;
const foreign = await generateKeyPair('RS256');

test.before(async () => {
  const clock = new SteppedClock();
  idp = await startOidcStandIn(clock);
  app = await startTestApp({ clock, intake: { limits: ROOMY_LIMITS, oidc: idp.provider() } });
});
test.after.always(async () => {
  await app?.close();
  await idp?.close();
});

async function nonce() {
  return (await app.request('POST', '/api/identity/oidc/nonce')).json as {
    nonce: string;
    nonce_proof: string;
  };
}

const idToken = (o: IdTokenOptions) => idp.idToken(o);

test.serial('a valid ID token signs in, keyed by issuer and subject, and can apply', async (t) => {
  const n = await nonce();
  const res = await app.request('POST', '/api/identity/oidc', {
    json: { id_token: await idToken({ nonce: n.nonce }), nonce_proof: n.nonce_proof },
  });
  t.is(res.status, 200, res.text);
  t.is(res.json.identity.method, 'oidc');
  t.is(res.json.identity.birth_date, '1950-05-05');
  const c = await openVoucherCampaign(app);
  const applied = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { 'x-resident-token': res.json.token },
    json: { amount: 10_000 },
  });
  t.is(applied.status, 201, applied.text);
  // the same subject again is the same person
  const n2 = await nonce();
  const again = await app.request('POST', '/api/identity/oidc', {
    json: { id_token: await idToken({ nonce: n2.nonce }), nonce_proof: n2.nonce_proof },
  });
  const dup = await app.request('POST', `/api/campaigns/${c.id}/application`, {
    headers: { 'x-resident-token': again.json.token },
    json: { amount: 10_000 },
  });
  t.is(dup.json.error.code, 'duplicate_application');
});

test.serial(
  'tampered, expired, alg none, wrong audience, wrong issuer, wrong nonce and foreign-key tokens are refused',
  async (t) => {
    const n = await nonce();
    const good = await idToken({ nonce: n.nonce });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const cases: Record<string, string> = {
      tampered: `${h}.${b64({ ...payload, sub: 'someone-else' })}.${s}`,
      expired: await idToken({ nonce: n.nonce, exp: Math.floor(app.clock.now().getTime() / 1000) - 3600 }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`,
      wrongAudience: await idToken({ nonce: n.nonce, aud: 'another-client' }),
      wrongIssuer: await idToken({ nonce: n.nonce, iss: 'https://evil.example' }),
      wrongNonce: await idToken({ nonce: 'not-the-one' }),
      foreignKey: await idToken({ nonce: n.nonce, key: foreign.privateKey }),
    };
    const before = Number((await app.db('identities').count('* as n'))[0]!.n);
    for (const [name, id_token] of Object.entries(cases)) {
      const res = await app.request('POST', '/api/identity/oidc', {
        json: { id_token, nonce_proof: n.nonce_proof },
      });
      t.is(res.status, 401, name);
      t.is(res.json.error.code, 'invalid_token', name);
    }
    const forgedProof = await app.request('POST', '/api/identity/oidc', {
      json: { id_token: good, nonce_proof: `${n.nonce_proof.slice(0, -4)}AAAA` },
    });
    t.is(forgedProof.status, 401);
    t.is(Number((await app.db('identities').count('* as n'))[0]!.n), before);
  },
);

test.serial(
  'an ID token and its nonce proof sign in once: a replay, even in parallel, is refused',
  async (t) => {
    const n = await nonce();
    const json = { id_token: await idToken({ nonce: n.nonce }), nonce_proof: n.nonce_proof };
    const first = await app.request('POST', '/api/identity/oidc', { json });
    t.is(first.status, 200, first.text);
    const again = await app.request('POST', '/api/identity/oidc', { json });
    t.is(again.status, 401);
    t.is(again.json.error.code, 'invalid_token');
    const n2 = await nonce();
    const json2 = { id_token: await idToken({ nonce: n2.nonce }), nonce_proof: n2.nonce_proof };
    const racing = await Promise.all(
      [1, 2, 3].map(() => app.request('POST', '/api/identity/oidc', { json: json2 })),
    );
    t.deepEqual(racing.map((r) => r.status).sort(), [200, 401, 401]);
  },
);

/** Signs in with a token carrying these claims; the identity row it made or joined. */
async function signInWith(sub: string, claims: Record<string, unknown>) {
  const n = await nonce();
  const res = await app.request('POST', '/api/identity/oidc', {
    json: { id_token: await idToken({ nonce: n.nonce, sub, claims }), nonce_proof: n.nonce_proof },
  });
  const residents = await app.db('identities').orderBy('created_at', 'desc').first('phone_enc', 'email_enc');
  return { res, row: residents };
}

test.serial(
  'a verified email is the contact when there is no verified phone; unverified claims are not used',
  async (t) => {
    const email = await signInWith('person-email', { email: 'Kim@Example.org', email_verified: true });
    t.is(email.res.status, 200, email.res.text);
    t.is(email.res.json.identity.birth_date, null, 'no birth date claimed, none recorded');
    t.is(email.row.phone_enc, null);
    t.truthy(email.row.email_enc);

    const unverified = await signInWith('person-unverified', {
      email: 'lee@example.org',
      email_verified: false,
      phone_number: '+821055557777',
      phone_number_verified: false,
    });
    t.is(unverified.res.status, 200, unverified.res.text);
    t.is(unverified.row.phone_enc, null, 'an unverified phone is not kept');
    t.is(unverified.row.email_enc, null, 'an unverified email is not kept');

    const badBirth = await signInWith('person-bad-birth', { birthdate: 'sometime in May' });
    t.is(badBirth.res.json.identity.birth_date, null, 'a birth date that does not read as one is dropped');
  },
);

test.serial('without a configured provider, OIDC sign-in is unavailable and creates nothing', async (t) => {
  const bare = await startTestApp({ database: app.database, intake: { limits: ROOMY_LIMITS } });
  try {
    const before = Number((await app.db('identities').count('* as n'))[0]!.n);
    const n = await nonce();
    const res = await bare.request('POST', '/api/identity/oidc', {
      json: { id_token: await idToken({ nonce: n.nonce }), nonce_proof: n.nonce_proof },
    });
    t.is(res.status, 503);
    t.is(res.json.error.code, 'oidc_unavailable');
    t.is(Number((await app.db('identities').count('* as n'))[0]!.n), before);
  } finally {
    await bare.close();
  }
});

test.serial(
  "a group list naming the provider's subjects lets the person signed in with one claim the group",
  async (t) => {
    const c = await openVoucherCampaign(app, {
      groups: [{ name: 'basic', reserved: 0, weight: 2, check: 'list' }],
    });
    const admin = await app.staff('admin');
    const importList = (csv: string) =>
      app.request('POST', `/api/admin/campaigns/${c.id}/groups/basic/list`, { as: admin, json: { csv } });
    const signIn = async (sub: string) => {
      const n = await nonce();
      const res = await app.request('POST', '/api/identity/oidc', {
        json: {
          // no phone claim: the person is known to the service by the subject alone
          id_token: await idToken({ nonce: n.nonce, sub, claims: { birthdate: '1960-01-01' } }),
          nonce_proof: n.nonce_proof,
        },
      });
      return { 'x-resident-token': res.json.token as string };
    };
    const apply = async (sub: string) =>
      app.request('POST', `/api/campaigns/${c.id}/application`, {
        headers: await signIn(sub),
        json: { amount: 10_000, group: 'basic' },
      });
    // Phones only: the subject is not on the list.
    t.is((await importList('phone,subject\n010-5554-0101,\n')).json.members, 1);
    const refused = await apply('listed-subject');
    t.is(refused.status, 403, refused.text);
    t.is(refused.json.error.details.reason, 'group_not_listed');
    t.is((await app.db('applications').where({ campaign_id: c.id })).length, 0);

    // A row with both a phone and a subject counts both; a subject alone is a member too.
    const listed = await importList('phone,subject\n010-5554-0101,other-subject\n,listed-subject\n');
    t.is(listed.status, 200, listed.text);
    t.is(listed.json.members, 3);
    t.is(listed.json.rows, 2);
    const ok = await apply('listed-subject');
    t.is(ok.status, 201, ok.text);
    const row = await app.db('applications').where({ public_id: ok.json.receipt.public_id }).first();
    t.is(row.group_name, 'basic');
    t.is(row.group_source, 'list');
  },
);
