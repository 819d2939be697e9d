// OpenID Connect: ID tokens from one configured provider, checked with jose against the provider's JWKS.
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DomainError } from '../domain/errors.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  jwksUrl: string;
  /** where the browser is sent to sign in (authorization code flow); API clients may bring their own ID token */
  authorizationUrl: string | undefined;
  tokenUrl: string | undefined;
  /** pinned: a token signed any other way (including alg "none") is refused */
  algorithms: string[];
}

export interface OidcPerson {
  issuer: string;
  subject: string;
  birth_date: string | undefined;
  email: string | undefined;
  phone: string | undefined;
}

export interface OidcProvider {
  readonly settings: OidcSettings;
  verifyIdToken(idToken: string, expectedNonce: string, now: Date): Promise<OidcPerson>;
  /** exchanges an authorization code for its ID token at the provider's token endpoint */
  exchangeCode(code: string, redirectUri: string): Promise<string>;
}

export function createOidcProvider(settings: OidcSettings, getKey?: JWTVerifyGetKey): OidcProvider {
  const jwks =
    getKey ??
    createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return {
    settings,
    async verifyIdToken(idToken, expectedNonce, now) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, jwks, {
          algorithms: settings.algorithms,
          issuer: settings.issuer,
          audience: settings.clientId,
          currentDate: now,
          clockTolerance: 30,
          requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
        }));
      } catch (err) {
        if (err instanceof errors.JOSEError && err.code === 'ERR_JWKS_TIMEOUT') {
          throw new DomainError('oidc_unavailable', 'The identity provider did not answer; try again');
        }
        const expired = err instanceof errors.JWTExpired;
        throw new DomainError(
          'invalid_token',
          expired ? 'The sign-in has expired; sign in again' : 'The identity provider token is not valid',
        );
      }
      if (payload.nonce !== expectedNonce || typeof payload.sub !== 'string' || payload.sub === '') {
        throw new DomainError('invalid_token', 'The identity provider token is not valid');
      }
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      return {
        issuer: settings.issuer,
        subject: payload.sub,
        birth_date: str(payload.birthdate),
        email: payload.email_verified === true ? str(payload.email) : undefined,
        phone: payload.phone_number_verified === true ? str(payload.phone_number) : undefined,
      };
    },
    async exchangeCode(code, redirectUri) {
      if (!settings.tokenUrl)
        throw new DomainError('oidc_unavailable', 'Sign-in with the provider is not set up');
      const res = await fetch(settings.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: settings.clientId,
          ...(settings.clientSecret ? { client_secret: settings.clientSecret } : {}),
        }),
        signal: AbortSignal.timeout(5000),
      }).catch(() => undefined);
      if (!res) throw new DomainError('oidc_unavailable', 'The identity provider did not answer; try again');
      const body = (await res.json().catch(() => ({}))) as { id_token?: unknown };
      if (!res.ok || typeof body.id_token !== 'string') {
        throw new DomainError('invalid_token', 'The identity provider refused the sign-in');
      }
      return body.id_token;
    },
  };
}
