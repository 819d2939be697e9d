// 본인인증 (PortOne V2): the CI keys the person, the provider's phone number joins the identity that number's code
// leads to, and the birth date is the provider's. A verification result signs in once.
import { spendProviderVerification } from '../db/repos/identityKeys.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { normaliseBirthDate, normalisePhone } from '../domain/identity.js';
import { encryptText, type VerifiedKey, verifiedKey } from '../identity/crypto.js';
import type { IdentityVerifier } from '../identity/portone.js';
import { BIRTH_DATE_AAD } from './counterFacts.js';
import type { IntakeContext } from './intakeContext.js';
import { resolveIdentity } from './resolveIdentity.js';
import type { SignedInPerson } from './verifyOidc.js';

export async function verifyPortOne(
  ctx: IntakeContext,
  verifier: IdentityVerifier | undefined,
  v: { identity_verification_id: string; lang: 'ko' | 'en' },
): Promise<SignedInPerson> {
  if (!verifier) throw new DomainError('oidc_unavailable', 'Identity verification is not set up');
  const customer = await verifier.fetchVerified(v.identity_verification_id);
  const birth = normaliseBirthDate(customer.birth_date, ctx.clock.now());
  if (!birth) throw new DomainError('identity_verification_failed', 'The provider gave no usable birth date');
  const phone = customer.phone ? normalisePhone(customer.phone) : undefined;
  const keys: [VerifiedKey, ...VerifiedKey[]] = [verifiedKey.ci(ctx.secrets, customer.ci)];
  const phoneKey = phone ? verifiedKey.phone(ctx.secrets, phone) : undefined;
  if (phoneKey) keys.push(phoneKey);
  const phone_enc = phone ? encryptText(ctx.secrets, phone, 'contact') : null;
  const identity = await inTransaction(ctx.db, async (trx) => {
    const fresh = await spendProviderVerification(trx, {
      id: v.identity_verification_id,
      provider: 'portone',
      identity_id: null,
    });
    if (!fresh) throw new DomainError('invalid_token', 'This identity verification was already used');
    return resolveIdentity(ctx, trx, {
      keys,
      method: 'portone',
      phone_enc,
      phone_hash: phoneKey?.hash ?? null,
      birth_date_enc: encryptText(ctx.secrets, birth, BIRTH_DATE_AAD),
      lang: v.lang,
    });
  });
  return {
    identity,
    birth_date: birth,
    birth_date_source: 'provider',
    contact_channel: phone_enc ? 'sms' : null,
    contact_enc: phone_enc,
    purpose: 'self',
  };
}
