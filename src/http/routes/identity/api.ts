// Resident verification over JSON: ask for a code, check it, or bring an OpenID Connect ID token.
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { signSessionToken, verifySessionToken } from '../../../auth/sessionToken.js';
import { requestCode } from '../../../commands/requestCode.js';
import { type VerifiedPerson, verifyCode } from '../../../commands/verifyCode.js';
import { verifyOidc } from '../../../commands/verifyOidc.js';
import { spendNonceProof } from '../../../db/repos/oidcNonces.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang } from '../../../i18n/catalogue.js';
import { RESIDENT_SESSION_SECONDS, signResidentToken } from '../../../identity/residentSession.js';
import { clientIp } from '../../clientIp.js';
import type { AppDeps } from '../../deps.js';
import { signOutResident } from '../../middleware/residentAuth.js';
import { parse } from '../../validate.js';
import { codeRequestSchema, codeVerifySchema, oidcTokenSchema } from './schema.js';

export const NONCE_AUDIENCE = 'oidc-nonce';

type Person = Pick<VerifiedPerson, 'identity'> & {
  birth_date: string | null;
  birth_date_source: VerifiedPerson['birth_date_source'] | null;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
};

export function claimsOf(p: Person, lang: Lang) {
  return {
    sub: p.identity.id,
    m: p.identity.method,
    bd: p.birth_date,
    bs: p.birth_date_source,
    cc: p.contact_channel,
    ce: p.contact_enc,
    lang,
  };
}

export async function sessionReply(deps: AppDeps, p: Person, lang: Lang) {
  const now = deps.clock.now();
  const token = await signResidentToken(deps.config.secrets.sessionSecret, claimsOf(p, lang), now);
  return {
    token,
    expires_at: new Date(now.getTime() + RESIDENT_SESSION_SECONDS * 1000).toISOString(),
    identity: { method: p.identity.method, birth_date: p.birth_date, birth_date_source: p.birth_date_source },
  };
}

/** A nonce for the provider, and a signed proof of it that comes back with the ID token (10 minutes). */
export async function issueNonce(deps: AppDeps) {
  const nonce = randomBytes(24).toString('base64url');
  const proof = await signSessionToken(
    deps.config.secrets.sessionSecret,
    NONCE_AUDIENCE,
    { sub: 'oidc', nonce },
    deps.clock.now(),
    600,
  );
  return { nonce, nonce_proof: proof };
}

export async function nonceFromProof(deps: AppDeps, proof: string) {
  const claims = await verifySessionToken<{ sub: string; jti: string; nonce: string; exp: number }>(
    deps.config.secrets.sessionSecret,
    NONCE_AUDIENCE,
    proof,
    deps.clock.now(),
  );
  return { nonce: claims.nonce, proofId: claims.jti, expiresAt: new Date(claims.exp * 1000) };
}

/** A nonce proves one sign-in: spent after its ID token checked out, so a replay of both is refused. */
export async function spendNonce(deps: AppDeps, proof: { proofId: string; expiresAt: Date }) {
  if (!(await spendNonceProof(deps.db, proof.proofId, proof.expiresAt))) {
    throw new DomainError('invalid_token', 'This sign-in was already used; start again');
  }
}

export function identityApiRoutes(router: Router, deps: AppDeps): void {
  const lang = (ctx: Context, asked?: Lang) => asked ?? (ctx.state.lang as Lang);

  router.post('/api/identity/codes', async (ctx) => {
    const b = parse(codeRequestSchema, ctx.request.body);
    const sent = await requestCode(deps.intake, {
      channel: b.channel,
      contact: (b.channel === 'sms' ? b.phone : b.email) ?? '',
      birth_date: b.birth_date,
      lang: lang(ctx, b.lang),
      ip: clientIp(ctx),
    });
    ctx.status = 202;
    ctx.body = { ...sent, expires_at: sent.expires_at.toISOString() };
  });

  router.post('/api/identity/verify', async (ctx) => {
    const b = parse(codeVerifySchema, ctx.request.body);
    const person = await verifyCode(deps.intake, { ...b, ip: clientIp(ctx) });
    ctx.body = await sessionReply(deps, person, person.identity.lang);
  });

  router.post('/api/identity/oidc/nonce', async (ctx) => {
    const { oidc } = deps.identity;
    ctx.body = {
      ...(await issueNonce(deps)),
      issuer: oidc?.settings.issuer ?? null,
      client_id: oidc?.settings.clientId ?? null,
    };
  });

  router.post('/api/identity/oidc', async (ctx) => {
    const b = parse(oidcTokenSchema, ctx.request.body);
    const proof = await nonceFromProof(deps, b.nonce_proof);
    const person = await verifyOidc(deps.intake, deps.identity.oidc, {
      id_token: b.id_token,
      nonce: proof.nonce,
      lang: lang(ctx),
    });
    await spendNonce(deps, proof);
    ctx.body = await sessionReply(deps, person, lang(ctx));
  });

  router.delete('/api/identity/session', async (ctx) => {
    await signOutResident(ctx, deps);
    ctx.status = 204;
  });
}
