// Admission tokens a process signed are remembered (InstantContext.admissions): signed once an admission, and a
// remembered token still answers only for its person and sale, and only until it expires.
import test from 'ava';
import {
  signAdmission,
  signedAdmissions,
  verifyAdmission,
} from '../../src/commands/instant/admissionToken.js';

const secret = new Uint8Array(32).fill(7);
const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);
const admission = { sub: 'person-1', cid: 'sale-1', jti: 'jti-1', exp: Math.floor(at(120).getTime() / 1000) };

test('an admission is signed once: a later look gets the same token, not a new signature', async (t) => {
  const known = signedAdmissions();
  const first = await signAdmission(secret, admission, at(0), known);
  t.is(await signAdmission(secret, admission, at(5), known), first);
  // without the memory, a later look is signed again (its iat differs)
  t.not(await signAdmission(secret, admission, at(5)), first);
});

test('a remembered token answers only for its person and sale, and only until it expires', async (t) => {
  const known = signedAdmissions();
  const token = await signAdmission(secret, admission, at(0), known);
  const ok = await verifyAdmission(secret, token, { sub: 'person-1', cid: 'sale-1' }, at(1), known);
  t.is(ok.jti, 'jti-1');
  for (const expect of [
    { sub: 'person-2', cid: 'sale-1' },
    { sub: 'person-1', cid: 'sale-2' },
  ]) {
    const err = await t.throwsAsync(verifyAdmission(secret, token, expect, at(1), known));
    t.is((err as { code?: string }).code, 'admission_invalid');
  }
  const late = await t.throwsAsync(
    verifyAdmission(secret, token, { sub: 'person-1', cid: 'sale-1' }, at(121), known),
  );
  t.is((late as { code?: string }).code, 'admission_invalid');
});
