// The intake use cases' context, built once per app from its deps: rate limits, rules cache, OIDC provider.
import type { Context } from 'koa';
import { createCampaignRulesCache } from '../commands/campaignRules.js';
import type { IntakeContext } from '../commands/intakeContext.js';
import type { Config } from '../config.js';
import { createOidcProvider, type OidcProvider } from '../identity/oidc.js';
import { createDevVerifier, createPortOneVerifier, type IdentityVerifier } from '../identity/portone.js';
import { cryptoRandom, type RandomSource } from '../identity/random.js';
import { createRateLimits, DEFAULT_LIMITS, type RateLimitSettings } from '../identity/rateLimits.js';
import type { AppDeps } from './deps.js';

export interface IntakeDeps {
  oidc?: OidcProvider | undefined;
  /** 본인인증: PortOne V2, or the development stand-in (never in production) */
  portone?: IdentityVerifier | undefined;
  /** Twilio auth token for inbound webhook signatures; undefined refuses every inbound webhook */
  twilioAuthToken?: string | undefined;
  random?: RandomSource;
  limits?: RateLimitSettings;
  /** seconds a campaign's rules are cached (writes carry the version, so staleness is safe) */
  rulesTtlMs?: number;
}

export interface Intake {
  ctx: IntakeContext;
  oidc: OidcProvider | undefined;
  portone: IdentityVerifier | undefined;
  twilioAuthToken: string | undefined;
}

const built = new WeakMap<AppDeps, Intake>();

function fromConfig(config: Partial<Config>): IntakeDeps {
  const oidc =
    config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_JWKS_URL
      ? createOidcProvider({
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          jwksUrl: config.OIDC_JWKS_URL,
          authorizationUrl: config.OIDC_AUTHORIZATION_URL,
          tokenUrl: config.OIDC_TOKEN_URL,
          algorithms: (config.OIDC_ALGORITHMS ?? 'RS256').split(','),
        })
      : undefined;
  const portone =
    config.PORTONE_API_SECRET && config.PORTONE_STORE_ID && config.PORTONE_IDENTITY_CHANNEL_KEY
      ? createPortOneVerifier({
          secret: config.PORTONE_API_SECRET,
          storeId: config.PORTONE_STORE_ID,
          channelKey: config.PORTONE_IDENTITY_CHANNEL_KEY,
          baseUrl: config.PORTONE_API_BASE_URL ?? 'https://api.portone.io',
        })
      : config.isProduction
        ? undefined
        : createDevVerifier();
  return { oidc, portone, twilioAuthToken: config.TWILIO_AUTH_TOKEN };
}

export function intakeOf(deps: AppDeps): Intake {
  let intake = built.get(deps);
  if (!intake) {
    const given = deps.intake ?? fromConfig(deps.config as Partial<Config>);
    intake = {
      ctx: {
        db: deps.db,
        clock: deps.clock,
        secrets: deps.config.secrets,
        random: given.random ?? cryptoRandom,
        limits: createRateLimits(deps.db, given.limits ?? DEFAULT_LIMITS),
        rules: createCampaignRulesCache(given.rulesTtlMs ?? 1000),
        publicUrl: deps.config.publicUrl,
      },
      oidc: given.oidc,
      portone: given.portone,
      twilioAuthToken: given.twilioAuthToken,
    };
    built.set(deps, intake);
  }
  return intake;
}

/** The client's address for per-address limits: the socket's, or with TRUST_PROXY what our proxy appended. */
export function clientIp(ctx: Context): string {
  return ctx.ip || 'unknown';
}
