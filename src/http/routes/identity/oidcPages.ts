// Browser sign-in with the configured OpenID Connect provider (authorization code flow, state and nonce in a
// short-lived signed cookie), ending in the same resident session as a one-time code.
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { signSessionToken, verifySessionToken } from '../../../auth/sessionToken.js';
import { verifyOidc } from '../../../commands/verifyOidc.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { startResidentSession } from '../../middleware/residentAuth.js';
import { parseId } from '../../validate.js';
import { claimsOf, spendNonce } from './api.js';

const FLOW_COOKIE = 'oidc_flow';
const FLOW_AUDIENCE = 'oidc-flow';
export const OIDC_CALLBACK_PATH = '/identity/oidc/callback';

export function oidcPageRoutes(router: Router, deps: AppDeps): void {
  const redirectUri = () => deps.config.publicUrl + OIDC_CALLBACK_PATH;

  router.get('/identity/oidc/start', async (ctx) => {
    const { oidc } = deps.identity;
    const campaign = parseId(String(ctx.query.campaign ?? ''));
    if (!oidc?.settings.authorizationUrl) {
      throw new DomainError('oidc_unavailable', 'Sign-in with an identity provider is not set up');
    }
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    const flow = await signSessionToken(
      deps.config.secrets.sessionSecret,
      FLOW_AUDIENCE,
      { sub: 'oidc', state, nonce, campaign },
      deps.clock.now(),
      600,
    );
    ctx.cookies.set(FLOW_COOKIE, flow, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.publicUrl.startsWith('https:'),
      maxAge: 600_000,
      path: '/identity/oidc',
    });
    const url = new URL(oidc.settings.authorizationUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: oidc.settings.clientId,
      redirect_uri: redirectUri(),
      scope: 'openid birthdate phone email',
      state,
      nonce,
      ui_locales: ctx.state.lang as string,
    }).toString();
    ctx.redirect(url.toString());
  });

  router.get(OIDC_CALLBACK_PATH, async (ctx) => {
    const cookie = ctx.cookies.get(FLOW_COOKIE);
    ctx.cookies.set(FLOW_COOKIE, null, { path: '/identity/oidc' });
    if (!cookie) throw new DomainError('invalid_token', 'The sign-in took too long; start again');
    const flow = await verifySessionToken<{
      sub: string;
      jti: string;
      state: string;
      nonce: string;
      campaign: string;
      exp: number;
    }>(deps.config.secrets.sessionSecret, FLOW_AUDIENCE, cookie, deps.clock.now());
    if (ctx.query.state !== flow.state || typeof ctx.query.code !== 'string') {
      throw new DomainError('invalid_token', 'The sign-in answer does not match this browser; start again');
    }
    if (!deps.identity.oidc)
      throw new DomainError('oidc_unavailable', 'Sign-in with an identity provider is not set up');
    const idToken = await deps.identity.oidc.exchangeCode(ctx.query.code, redirectUri());
    const lang = ctx.state.lang as Lang;
    const person = await verifyOidc(deps.intake, deps.identity.oidc, {
      id_token: idToken,
      nonce: flow.nonce,
      lang,
    });
    await spendNonce(deps, { proofId: flow.jti, expiresAt: new Date(flow.exp * 1000) });
    await startResidentSession(ctx, deps, claimsOf(person, lang));
    ctx.redirect(`/campaigns/${flow.campaign}/apply`);
  });
}
