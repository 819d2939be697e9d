// A wrong PortOne API secret (PortOne answers 401 UNAUTHORIZED) is the service's configuration, not the resident's
// verification: its own code (provider_misconfigured, 500), logged for operators, while an id PortOne does not know
// is still identity_verification_failed (401) and logs nothing.
import { Writable } from 'node:stream';
import test from 'ava';
import { createPortOneVerifier } from '../../src/identity/portone.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  PORTONE_SECRET,
  type PortOneStandIn,
  startPortOneStandIn,
} from '../helpers/identityVerificationStandIn.js';
import { openVoucherCampaign, ROOMY_LIMITS } from '../helpers/intake.js';

let portone: PortOneStandIn;
const apps: TestApp[] = [];
test.before(async () => {
  portone = await startPortOneStandIn();
});
test.after.always(async () => {
  for (const a of apps.reverse()) await a.close();
  await portone?.close();
});

/** An app whose verifier sends `secret` to the stand-in, and the lines it logs at error level. */
async function appWithSecret(secret: string, database?: TestApp['database']) {
  const lines: Array<{ level: number; msg: string; code?: string }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const verifier = createPortOneVerifier({
    secret,
    storeId: 'store-test',
    channelKey: 'channel-test',
    baseUrl: portone.url,
  });
  const app = await startTestApp({
    ...(database ? { database } : {}),
    intake: { limits: ROOMY_LIMITS, portone: verifier },
    logger: createLogger('error', sink),
  });
  apps.push(app);
  return { app, errors: lines };
}

/** The browser flow up to the completion: start (our id in a cookie), the provider verified it, completion. */
async function complete(app: TestApp, campaignId: string, verified: boolean) {
  const start = await app.request('GET', `/identity/portone/start?campaign=${campaignId}`);
  const id = /"identityVerificationId":"(iv-[0-9a-f]+)"/.exec(start.text)?.[1];
  if (!id) throw new Error(`no verification id: ${start.status}`);
  if (verified) portone.verify(id, { ci: `ci-${id}`, birthDate: '1950-05-05' });
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return app.request('GET', `/identity/portone/complete?identityVerificationId=${id}`, {
    headers: { cookie },
  });
}

test('a refused API secret is provider_misconfigured (500, logged); an unknown verification stays a refusal', async (t) => {
  const wrong = await appWithSecret('not-the-portone-secret');
  const c = await openVoucherCampaign(wrong.app, { verification_methods: ['portone'] });
  const res = await complete(wrong.app, c.id, true);
  t.is(res.status, 500, res.text);
  t.is(res.json.error.code, 'provider_misconfigured');
  t.false(/not found/i.test(res.json.error.message), res.json.error.message);
  t.true(
    wrong.errors.some((l) => l.level >= 50 && /UNAUTHORIZED/.test(JSON.stringify(l))),
    JSON.stringify(wrong.errors),
  );

  const right = await appWithSecret(PORTONE_SECRET, wrong.app.database);
  const unknown = await complete(right.app, c.id, false);
  t.is(unknown.status, 401, unknown.text);
  t.is(unknown.json.error.code, 'identity_verification_failed');
  t.deepEqual(right.errors, [], 'a resident’s unknown verification is no operator’s problem');
  const ok = await complete(right.app, c.id, true);
  t.is(ok.status, 302, ok.text);
});
