// Sign in with the configured OpenID Connect provider: the verified subject becomes the identity key.
import { upsertIdentity } from '../db/repos/identities.js';
import { DomainError } from '../domain/errors.js';
import { identifier, normaliseBirthDate, normalisePhone } from '../domain/identity.js';
import { contactHash, encryptText, identityKey } from '../identity/crypto.js';
import type { OidcProvider } from '../identity/oidc.js';
import type { IntakeContext } from './intakeContext.js';
import type { VerifiedPerson } from './verifyCode.js';

export async function verifyOidc(
  ctx: IntakeContext,
  provider: OidcProvider | undefined,
  v: { id_token: string; nonce: string; lang: 'ko' | 'en' },
): Promise<
  Omit<VerifiedPerson, 'birth_date' | 'contact_channel' | 'contact_enc'> & {
    birth_date: string | null;
    contact_channel: 'sms' | 'email' | null;
    contact_enc: string | null;
  }
> {
  if (!provider) throw new DomainError('oidc_unavailable', 'Sign-in with an identity provider is not set up');
  const now = ctx.clock.now();
  const person = await provider.verifyIdToken(v.id_token, v.nonce, now);
  const birth = person.birth_date ? (normaliseBirthDate(person.birth_date, now) ?? null) : null;
  const phone = person.phone ? normalisePhone(person.phone) : undefined;
  const phone_enc = phone ? encryptText(ctx.secrets, phone, 'contact') : null;
  const email_enc =
    !phone && person.email ? encryptText(ctx.secrets, person.email.toLowerCase(), 'contact') : null;
  const identity = await upsertIdentity(ctx.db, {
    identity_key: identityKey(ctx.secrets, identifier.oidc(person.issuer, person.subject)),
    method: 'oidc',
    phone_enc,
    email_enc,
    phone_hash: phone ? contactHash(ctx.secrets, phone) : null,
    birth_date: birth,
    lang: v.lang,
  });
  return {
    identity,
    birth_date: birth,
    contact_channel: phone_enc ? 'sms' : email_enc ? 'email' : null,
    contact_enc: phone_enc ?? email_enc,
    purpose: 'self',
  };
}
