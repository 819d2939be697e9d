// Korean identity verification (본인인증) through PortOne V2: the browser opens the provider's window with an id we
// chose; the server then reads the result with getIdentityVerification (@portone/server-sdk). Without credentials,
// outside production, a development stand-in plays the provider so the whole flow runs locally.
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { refusedCredentials } from '../portone/errors.js';
import { type PortOneSdk, portOneSdk, preloadPortOneSdk } from '../portone/sdk.js';

/** What a verification proved about the person. */
export interface VerifiedCustomer {
  /** 연계정보: one person across phones and carriers. Never stored raw: only its HMAC is. */
  ci: string;
  /** YYYY-MM-DD */
  birth_date: string;
  phone: string | undefined;
  name: string;
}

export interface IdentityVerifier {
  /** what the page passes to PortOne's browser SDK; undefined for the development stand-in's own page */
  readonly browser: { storeId: string; channelKey: string } | undefined;
  /** The verified result for an id; identity_verification_failed when it is not (yet) verified. */
  fetchVerified(identityVerificationId: string): Promise<VerifiedCustomer>;
}

export interface PortOneSettings {
  secret: string;
  storeId: string;
  channelKey: string;
  /** the API's origin; tests point it at a local stand-in */
  baseUrl: string;
}

const failed = (why: string) => new DomainError('identity_verification_failed', why);

export function createPortOneVerifier(s: PortOneSettings): IdentityVerifier {
  preloadPortOneSdk();
  let client: ReturnType<PortOneSdk['IdentityVerificationClient']> | undefined;
  return {
    browser: { storeId: s.storeId, channelKey: s.channelKey },
    async fetchVerified(id) {
      const sdk = await portOneSdk();
      client ??= sdk.IdentityVerificationClient({ secret: s.secret, baseUrl: s.baseUrl });
      const result = await client
        .getIdentityVerification({ identityVerificationId: id, storeId: s.storeId })
        .catch((err: unknown) => {
          // The SDK throws its own errors for 4xx answers; a network failure is the provider being away.
          if (err instanceof sdk.PortOneError && 'data' in err)
            throw (
              refusedCredentials(sdk, err, 'getIdentityVerification') ??
              failed('The identity verification was not found')
            );
          throw new DomainError('oidc_unavailable', 'The identity verification service did not answer');
        });
      if (result.status !== 'VERIFIED') throw failed('The identity verification is not complete');
      const c = result.verifiedCustomer;
      if (!c.ci || !c.birthDate)
        throw failed('The identity verification did not return a CI and a birth date');
      return { ci: c.ci, birth_date: c.birthDate, phone: c.phoneNumber, name: c.name };
    },
  };
}

/**
 * The development stand-in: its page (/dev/identity-verification) records what the tester typed, as the provider
 * would after a real verification. Its CI is derived from the name and birth date, so the same person typed on two
 * phones is one person here too, as a real CI would be.
 */
export interface DevIdentityVerifier extends IdentityVerifier {
  record(id: string, person: { name: string; birth_date: string; phone: string }): void;
}

export function createDevVerifier(): DevIdentityVerifier {
  const verified = new Map<string, VerifiedCustomer>();
  return {
    browser: undefined,
    record(id, p) {
      const ci = createHash('sha512').update(`dev-ci|${p.name.trim()}|${p.birth_date}`).digest('base64');
      verified.set(id, { ci, birth_date: p.birth_date, phone: p.phone, name: p.name.trim() });
      if (verified.size > 10_000) verified.delete(verified.keys().next().value as string);
    },
    async fetchVerified(id) {
      const v = verified.get(id);
      if (!v) throw failed('The identity verification was not found');
      return v;
    },
  };
}
