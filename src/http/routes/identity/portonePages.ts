// Browser 본인인증 (PortOne V2): we choose the verification id and keep it in a short-lived signed cookie, the
// provider's window verifies the person and returns to the completion URL with that id, and the server reads the
// result from PortOne itself (never from the browser). Outside production without credentials, /dev/identity-
// verification plays the provider's window.
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { signSessionToken, verifySessionToken } from '../../../auth/sessionToken.js';
import { verifyPortOne } from '../../../commands/verifyPortOne.js';
import { DomainError } from '../../../domain/errors.js';
import { normaliseBirthDate, normalisePhone } from '../../../domain/identity.js';
import type { Lang } from '../../../i18n/catalogue.js';
import type { DevIdentityVerifier } from '../../../identity/portone.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { checkResidentCsrf, residentCsrfToken, startResidentSession } from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { bodyOf, parseId } from '../../validate.js';
import { claimsOf } from './api.js';

const FLOW_COOKIE = 'portone_flow';
const FLOW_AUDIENCE = 'portone-flow';
export const PORTONE_COMPLETE_PATH = '/identity/portone/complete';
const DEV_PAGE = '/dev/identity-verification';

export function portonePageRoutes(router: Router, deps: AppDeps): void {
  const completeUrl = () => deps.config.publicUrl + PORTONE_COMPLETE_PATH;

  router.get('/identity/portone/start', async (ctx) => {
    const { portone } = deps.identity;
    const campaign = parseId(String(ctx.query.campaign ?? ''));
    if (!portone) throw new DomainError('oidc_unavailable', 'Identity verification is not set up');
    const id = `iv-${randomBytes(16).toString('hex')}`;
    const flow = await signSessionToken(
      deps.config.secrets.sessionSecret,
      FLOW_AUDIENCE,
      { sub: 'portone', id, campaign },
      deps.clock.now(),
      900,
    );
    ctx.cookies.set(FLOW_COOKIE, flow, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.publicUrl.startsWith('https:'),
      maxAge: 900_000,
      path: '/identity/portone',
    });
    ctx.set('Cache-Control', 'no-store');
    if (!portone.browser) {
      const dev = new URLSearchParams({ identityVerificationId: id, redirectUrl: completeUrl() });
      return ctx.redirect(`${DEV_PAGE}?${dev}`);
    }
    // PortOne's browser SDK comes from its CDN and opens its window in a frame or a popup of its own origin.
    const nonce = randomBytes(16).toString('base64');
    ctx.state.csp = `default-src 'self'; script-src 'self' 'nonce-${nonce}' https://cdn.portone.io; connect-src 'self' https://*.portone.io; frame-src https://*.portone.io https:; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'`;
    render(ctx, 'portone-start', {
      nonce,
      campaign,
      request: { ...portone.browser, identityVerificationId: id, redirectUrl: completeUrl() },
    });
  });

  router.get(PORTONE_COMPLETE_PATH, async (ctx) => {
    const cookie = ctx.cookies.get(FLOW_COOKIE);
    ctx.cookies.set(FLOW_COOKIE, null, { path: '/identity/portone' });
    if (!cookie) throw new DomainError('invalid_token', 'The verification took too long; start again');
    const flow = await verifySessionToken<{ sub: string; jti: string; id: string; campaign: string }>(
      deps.config.secrets.sessionSecret,
      FLOW_AUDIENCE,
      cookie,
      deps.clock.now(),
    );
    // The provider appends its id (and, when the person gave up, an error code) to the redirect URL.
    if (ctx.query.identityVerificationId !== flow.id)
      throw new DomainError('invalid_token', 'The verification does not match this browser; start again');
    if (typeof ctx.query.code === 'string' && ctx.query.code !== '')
      return ctx.redirect(`/campaigns/${flow.campaign}/apply?verify=cancelled`);
    const lang = ctx.state.lang as Lang;
    const person = await verifyPortOne(deps.intake, deps.identity.portone, {
      identity_verification_id: flow.id,
      lang,
    });
    await startResidentSession(ctx, deps, claimsOf(person, lang));
    ctx.redirect(`/campaigns/${flow.campaign}/apply`);
  });

  devStandInRoutes(router, deps);
}

/** The development stand-in's window: type who you are, as a carrier's verification would have confirmed. */
function devStandInRoutes(router: Router, deps: AppDeps): void {
  if (deps.config.isProduction) return;
  const dev = () => {
    const v = deps.identity.portone;
    return v && !v.browser ? (v as DevIdentityVerifier) : undefined;
  };
  const page = (ctx: Context, values: Record<string, string>, errors: string[] = [], status = 200) =>
    render(ctx, 'dev-identity', { csrf: residentCsrfToken(ctx, deps), values, errors }, status);

  router.get(DEV_PAGE, (ctx) => {
    if (!dev()) throw new DomainError('not_found', 'The development stand-in is not in use');
    page(ctx, {
      identityVerificationId: String(ctx.query.identityVerificationId ?? ''),
      redirectUrl: String(ctx.query.redirectUrl ?? ''),
    });
  });

  router.post(DEV_PAGE, async (ctx) => {
    const verifier = dev();
    if (!verifier) throw new DomainError('not_found', 'The development stand-in is not in use');
    checkResidentCsrf(ctx, deps);
    const b = bodyOf(ctx) as Record<string, string>;
    const t = ctx.state.t as (k: string) => string;
    const birth = normaliseBirthDate(b.birth_date ?? '', deps.clock.now());
    const phone = normalisePhone(b.phone ?? '');
    const name = (b.name ?? '').trim().slice(0, 60);
    const errors = [
      ...(name ? [] : [t('dev_identity.need_name')]),
      ...(phone ? [] : [t('dev_identity.need_phone')]),
      ...(birth ? [] : [t('dev_identity.need_birth_date')]),
    ];
    const id = b.identityVerificationId ?? '';
    if (!/^iv-[0-9a-f]{32}$/.test(id) || b.redirectUrl !== deps.config.publicUrl + PORTONE_COMPLETE_PATH)
      throw new DomainError('invalid_token', 'Start the verification from a campaign page');
    if (!birth || !phone || !name) return page(ctx, b, errors, statusOf('validation_failed'));
    verifier.record(id, { name, birth_date: birth, phone });
    ctx.redirect(`${PORTONE_COMPLETE_PATH}?identityVerificationId=${encodeURIComponent(id)}`);
  });
}
