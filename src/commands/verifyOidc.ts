// Sign in with the configured OpenID Connect provider: the verified subject is a key of the person, and a verified
// phone number in the ID token joins the identity that number's one-time code leads to (one person, one row).

import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { normaliseBirthDate, normalisePhone } from '../domain/identity.js';
import { encryptText, type VerifiedKey, verifiedKey } from '../identity/crypto.js';
import type { OidcProvider } from '../identity/oidc.js';
import { BIRTH_DATE_AAD } from './counterFacts.js';
import type { IntakeContext } from './intakeContext.js';
import { birthDateOf, resolveIdentity } from './resolveIdentity.js';
import type { VerifiedPerson } from './verifyCode.js';

/** A sign-in that may not carry a birth date or a contact. */
export type SignedInPerson = Omit<
  VerifiedPerson,
  'birth_date' | 'birth_date_source' | 'contact_channel' | 'contact_enc'
> & {
  birth_date: string | null;
  birth_date_source: VerifiedPerson['birth_date_source'] | null;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
};

export async function verifyOidc(
  ctx: IntakeContext,
  provider: OidcProvider | undefined,
  v: { id_token: string; nonce: string; lang: 'ko' | 'en' },
): Promise<SignedInPerson> {
  if (!provider) throw new DomainError('oidc_unavailable', 'Sign-in with an identity provider is not set up');
  const now = ctx.clock.now();
  const person = await provider.verifyIdToken(v.id_token, v.nonce, now);
  const birth = person.birth_date ? (normaliseBirthDate(person.birth_date, now) ?? null) : null;
  const phone = person.phone ? normalisePhone(person.phone) : undefined;
  const phone_enc = phone ? encryptText(ctx.secrets, phone, 'contact') : null;
  const email_enc =
    !phone && person.email ? encryptText(ctx.secrets, person.email.toLowerCase(), 'contact') : null;
  const keys: [VerifiedKey, ...VerifiedKey[]] = [
    verifiedKey.oidc(ctx.secrets, person.issuer, person.subject),
  ];
  const phoneKey = phone ? verifiedKey.phone(ctx.secrets, phone) : undefined;
  if (phoneKey) keys.push(phoneKey);
  const identity = await inTransaction(ctx.db, (trx) =>
    resolveIdentity(ctx, trx, {
      keys,
      method: 'oidc',
      phone_enc,
      email_enc,
      phone_hash: phoneKey?.hash ?? null,
      birth_date_enc: birth ? encryptText(ctx.secrets, birth, BIRTH_DATE_AAD) : null,
      lang: v.lang,
    }),
  );
  return {
    identity,
    ...birthDateOf(ctx, identity, null),
    contact_channel: phone_enc ? 'sms' : email_enc ? 'email' : null,
    contact_enc: phone_enc ?? email_enc,
    purpose: 'self',
  };
}
