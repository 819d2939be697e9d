// A local OpenID Connect provider stand-in on 127.0.0.1: its own RS256 keys at /jwks, an authorization endpoint
// that signs the person in at once and redirects back with a one-time code, and a token endpoint that exchanges
// each code once (a second exchange is invalid_grant, as RFC 6749 4.1.2 requires) for an ID token carrying the
// nonce from the authorization request.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import type { Clock } from '../../src/clock.js';
import { createOidcProvider, type OidcProvider } from '../../src/identity/oidc.js';

export const OIDC_CLIENT = 'fair-allocation-test';

export interface IdTokenOptions {
  nonce: string;
  sub?: string;
  aud?: string;
  iss?: string;
  exp?: number;
  key?: KeyLike;
  /** the person's claims instead of the verified phone and birth date every token carries by default */
  claims?: Record<string, unknown>;
}

export interface OidcStandIn {
  issuer: string;
  /** the app's provider settings pointing at this stand-in */
  provider(opts?: { browserFlow?: boolean }): OidcProvider;
  idToken(o: IdTokenOptions): Promise<string>;
  /** codes exchanged at /token (each with whether it was granted) */
  exchanges: Array<{ code: string; granted: boolean }>;
  /** the next ID token carries this nonce instead of the one asked for (a token minted for another flow) */
  forgeNextNonce: string | undefined;
  /** who signs in at /authorize */
  subject: string;
  close(): Promise<void>;
}

export async function startOidcStandIn(clock: Clock): Promise<OidcStandIn> {
  const keys = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; redirect_uri: string; used: boolean; sub: string }>();
  const self = {} as OidcStandIn;

  const idToken = (o: IdTokenOptions) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({
      nonce: o.nonce,
      ...(o.claims ?? {
        birthdate: '1950-05-05',
        phone_number: '+821099998888',
        phone_number_verified: true,
      }),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(o.iss ?? self.issuer)
      .setAudience(o.aud ?? OIDC_CLIENT)
      .setSubject(o.sub ?? 'person-1')
      .setIssuedAt(now)
      .setExpirationTime(o.exp ?? now + 300)
      .sign(o.key ?? keys.privateKey);
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', self.issuer);
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== OIDC_CLIENT || q.get('response_type') !== 'code' || !q.get('redirect_uri')) {
        return json(res, 400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        nonce: q.get('nonce') ?? '',
        redirect_uri: q.get('redirect_uri')!,
        used: false,
        sub: self.subject,
      });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('location', back.toString());
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      const ok =
        grant !== undefined &&
        !grant.used &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === OIDC_CLIENT &&
        form.get('redirect_uri') === grant.redirect_uri;
      self.exchanges.push({ code, granted: ok });
      if (!ok) return json(res, 400, { error: 'invalid_grant' });
      grant.used = true;
      const nonce = self.forgeNextNonce ?? grant.nonce;
      self.forgeNextNonce = undefined;
      return json(res, 200, {
        access_token: 'unused',
        token_type: 'Bearer',
        id_token: await idToken({ nonce, sub: grant.sub }),
      });
    }
    return json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(self, {
    issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    idToken,
    exchanges: [],
    forgeNextNonce: undefined,
    subject: 'person-1',
    provider: (o: { browserFlow?: boolean } = {}) =>
      createOidcProvider({
        issuer: self.issuer,
        clientId: OIDC_CLIENT,
        clientSecret: undefined,
        jwksUrl: `${self.issuer}/jwks`,
        authorizationUrl: o.browserFlow ? `${self.issuer}/authorize` : undefined,
        tokenUrl: o.browserFlow ? `${self.issuer}/token` : undefined,
        algorithms: ['RS256'],
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
  return self;
}
