// The PortOne 본인인증 reader (the real @portone/server-sdk client against a local stand-in of its API): a
// verification is taken only when the provider says VERIFIED with a CI and a birth date; anything else is
// identity_verification_failed, and a provider that does not answer is oidc_unavailable (try again), not a refusal.
import test from 'ava';
import { createPortOneVerifier } from '../../src/identity/portone.js';
import {
  PORTONE_SECRET,
  type PortOneStandIn,
  startPortOneStandIn,
} from '../helpers/identityVerificationStandIn.js';

let provider: PortOneStandIn;
test.before(async () => {
  provider = await startPortOneStandIn();
});
test.after.always(async () => {
  await provider?.close();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'verified',
    (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
  );

test('verified with a CI and a birth date: the person; anything less: refused, with why', async (t) => {
  const verifier = provider.verifier();
  provider.verify('iv-ok', {
    ci: 'ci-1',
    birthDate: '1950-05-05',
    phoneNumber: '01055560001',
    name: '김민지',
  });
  t.deepEqual(await verifier.fetchVerified('iv-ok'), {
    ci: 'ci-1',
    birth_date: '1950-05-05',
    phone: '01055560001',
    name: '김민지',
  });
  provider.verify('iv-ready', { ci: 'ci-2', birthDate: '1950-05-05' }, 'READY');
  provider.verify('iv-no-ci', { ci: '', birthDate: '1950-05-05' });
  t.is(
    await codeOf(verifier.fetchVerified('iv-nobody')),
    'identity_verification_failed: The identity verification was not found',
  );
  t.is(
    await codeOf(verifier.fetchVerified('iv-ready')),
    'identity_verification_failed: The identity verification is not complete',
  );
  t.is(
    await codeOf(verifier.fetchVerified('iv-no-ci')),
    'identity_verification_failed: The identity verification did not return a CI and a birth date',
  );
});

test('a provider that does not answer is unavailable (try again later), not a refusal', async (t) => {
  const away = await startPortOneStandIn();
  await away.close();
  const verifier = createPortOneVerifier({
    secret: PORTONE_SECRET,
    storeId: 'store-test',
    channelKey: 'channel-test',
    baseUrl: away.url,
  });
  t.is(
    await codeOf(verifier.fetchVerified('iv-ok')),
    'oidc_unavailable: The identity verification service did not answer',
  );
});
