// The environment, parsed and validated once. Every variable is documented in .env.example and README.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const hex32 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (32 bytes)');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Set: the public stock read (GET /api/campaigns/:id/stock) is also served on this port by a process of its
  // own at lower CPU priority (src/stockReads.ts), for the proxy to send those reads to. Unset: off.
  STOCK_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // The stock reads process's nice value: 10 is below normal, 19 the lowest (the reads take only idle CPU).
  STOCK_NICE: z.coerce.number().int().min(0).max(19).default(10),
  PUBLIC_URL: z.url().optional(),
  // How many reverse proxies in front of us append to X-Forwarded-For (true = 1); 0/false: trust no header.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|yes|no|[0-9])$/, 'false, true, or how many proxies are in front (0-9)')
    .default('false')
    .transform((v) => (v === 'true' || v === 'yes' ? 1 : v === 'false' || v === 'no' ? 0 : Number(v))),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, 'like 100kb')
    .default('100kb'),
  SESSION_SECRET: hex32.optional(),
  IDENTITY_PEPPER: hex32.optional(),
  DATA_KEY: hex32.optional(),
  // The P-256 private scalar that signs claim tokens (the QR a winner shows; counters verify it offline).
  CLAIM_SIGNING_KEY: hex32.optional(),
  RECONCILE_CRON: z.string().min(1).default('* * * * * *'),
  RUN_SCHEDULER: bool.default(true),
  RUN_WORKER: bool.default(true),
  DEMO_DATA: bool.optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // Sign-in with an OpenID Connect provider; all of ISSUER, CLIENT_ID and JWKS_URL, or none.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_AUTHORIZATION_URL: z.url().optional(),
  OIDC_TOKEN_URL: z.url().optional(),
  OIDC_ALGORITHMS: z
    .string()
    .regex(
      /^(RS|PS|ES)(256|384|512)(,(RS|PS|ES)(256|384|512))*$/,
      'comma-separated, e.g. RS256,ES256 (never none or HS*)',
    )
    .default('RS256'),
  // Korean identity verification (본인인증) through PortOne V2: its channel, with PORTONE_API_SECRET and
  // PORTONE_STORE_ID below; unset (outside production) a development stand-in plays the provider.
  PORTONE_IDENTITY_CHANNEL_KEY: z.string().min(1).optional(),
  // Notifications. Without provider credentials messages go to the development outbox.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'like AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  TWILIO_FROM: z
    .string()
    .regex(/^(\+[1-9]\d{5,14}|[A-Za-z0-9 ]{1,11})$/, 'an E.164 number or an alphanumeric sender id')
    .optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'like MG followed by 32 hex digits')
    .optional(),
  TWILIO_API_BASE_URL: z.url().optional(),
  TWILIO_STATUS_CALLBACK: bool.default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'like smtp://user:pass@host:587 or smtps://...')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  SMS_RATE_PER_SECOND: z.coerce.number().int().min(0).default(10),
  EMAIL_RATE_PER_SECOND: z.coerce.number().int().min(0).default(20),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  NOTIFY_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(30 * 60_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
  WORKER_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(50).default(5_000),
  WORKER_DEAD_AFTER_MS: z.coerce.number().int().min(100).default(30_000),
  // The draw: which public beacon a lottery names at its opening ({closes_at} is filled in), and
  // optionally where the reconciler fetches its value after the close (JSON "randomness"/"beacon" or plain text).
  BEACON_SOURCE: z
    .string()
    .min(5)
    .max(300)
    .default('drand quicknet: the randomness of the first round published after {closes_at}'),
  BEACON_URL: z.url().optional(),
  BEACON_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  // Payments: PortOne V2 when its four values are set, else the development provider (not in production).
  PORTONE_API_SECRET: z.string().min(10).optional(),
  PORTONE_STORE_ID: z.string().min(3).optional(),
  PORTONE_CHANNEL_KEY: z.string().min(3).optional(),
  // as PortOne shows it: base64, optionally after whsec_ (its SDK decodes it at every webhook: refuse it here instead)
  PORTONE_WEBHOOK_SECRET: z
    .string()
    .min(10)
    .regex(
      /^(whsec_)?[A-Za-z0-9+/]+={0,2}$/,
      'the secret as PortOne shows it: base64, optionally after whsec_',
    )
    .refine((v) => v.replace(/^whsec_/, '').length % 4 === 0, 'base64 comes in groups of four characters')
    .optional(),
  PORTONE_API_BASE_URL: z.url().optional(),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  DEV_PAY_LATENCY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  DEV_PAY_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  DEV_PAY_DUPLICATE_RATE: z.coerce.number().min(0).max(1).default(0),
  DEV_PAY_DROP_RATE: z.coerce.number().min(0).max(1).default(0),
  DEV_PAY_WEBHOOK_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  DEV_ISSUER_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
});

export type Env = z.infer<typeof schema>;

export interface Secrets {
  /** signs staff and resident session tokens (HS256) */
  sessionSecret: Uint8Array;
  /** HMAC key turning a normalised identifier into identity_key */
  identityPepper: Uint8Array;
  /** AES-256-GCM key for contact details and operator secrets at rest */
  dataKey: Uint8Array;
  /** P-256 private scalar signing claim tokens (ES256); its public half is published for counter pages */
  claimSigningKey: Uint8Array;
}

export interface Config extends Env {
  secrets: Secrets;
  publicUrl: string;
  isProduction: boolean;
}

export class ConfigError extends Error {}

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

// Outside production a missing secret is generated once and kept under DATA_DIR, so sessions survive restarts.
// A secret added later is generated and written beside the ones an older file already holds. Only secrets that
// are absent are generated: regenerating a file that cannot be read would silently rotate DATA_KEY and leave
// every sealed contact and draw secret unreadable, so an unreadable or damaged file stops start-up instead.
function loadDevSecrets(dataDir: string, names: readonly string[]): Record<string, string> {
  const file = path.join(dataDir, 'dev-secrets.json');
  const notReplaced =
    'It was not replaced: a new DATA_KEY would make every stored contact and draw secret unreadable.';
  let secrets: Record<string, string> = {};
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(
        `Cannot read the development secrets in ${file} (${(err as Error).message}).\n` +
          `  Fix it, or set ${names.join(', ')}. ${notReplaced}`,
      );
    }
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const record = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
    const bad = record
      ? names.filter(
          (n) => n in record && !/^[0-9a-f]{64}$/.test(String((record as Record<string, unknown>)[n])),
        )
      : ['the file is not a JSON object'];
    if (bad.length > 0) {
      throw new ConfigError(
        `The development secrets in ${file} are damaged (${bad.join(', ')}).\n` +
          `  Restore the file, or set ${names.join(', ')}. ${notReplaced}`,
      );
    }
    secrets = record as Record<string, string>;
  }
  const absent = names.filter((n) => !secrets[n]);
  if (absent.length === 0) return secrets;
  for (const n of absent) secrets[n] = randomBytes(32).toString('hex');
  fs.mkdirSync(dataDir, { recursive: true });
  // written whole, then renamed: a crash mid-write leaves the old file, never a truncated one
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return secrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseEnv(env);
  const isProduction = parsed.NODE_ENV === 'production';
  const names = ['SESSION_SECRET', 'IDENTITY_PEPPER', 'DATA_KEY', 'CLAIM_SIGNING_KEY'] as const;
  const missing = names.filter((n) => !parsed[n]);
  if (isProduction && missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((n) => `  ${n}: required in production`).join('\n')}`,
    );
  }
  const oidcParts = [parsed.OIDC_ISSUER, parsed.OIDC_CLIENT_ID, parsed.OIDC_JWKS_URL];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_JWKS_URL: set all three or none',
    );
  }
  if (parsed.PORTONE_IDENTITY_CHANNEL_KEY && !(parsed.PORTONE_API_SECRET && parsed.PORTONE_STORE_ID)) {
    throw new ConfigError(
      'Invalid configuration:\n  PORTONE_IDENTITY_CHANNEL_KEY: needs PORTONE_API_SECRET and PORTONE_STORE_ID',
    );
  }
  if (isProduction && !parsed.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required in production');
  }
  if (parsed.STOCK_PORT !== undefined && parsed.STOCK_PORT === parsed.PORT) {
    throw new ConfigError('Invalid configuration:\n  STOCK_PORT: must differ from PORT');
  }
  const twilioParts = [parsed.TWILIO_ACCOUNT_SID, parsed.TWILIO_AUTH_TOKEN];
  if (twilioParts.some(Boolean) && !twilioParts.every(Boolean)) {
    throw new ConfigError(
      'Invalid configuration:\n  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: set both or neither',
    );
  }
  if (parsed.TWILIO_ACCOUNT_SID && !parsed.TWILIO_FROM && !parsed.TWILIO_MESSAGING_SERVICE_SID) {
    throw new ConfigError(
      'Invalid configuration:\n  TWILIO_FROM: set it or TWILIO_MESSAGING_SERVICE_SID to send SMS',
    );
  }
  // Payments through PortOne: its payment channel turns them on; the API secret and store are shared with 본인인증.
  if (
    parsed.PORTONE_CHANNEL_KEY &&
    !(parsed.PORTONE_API_SECRET && parsed.PORTONE_STORE_ID && parsed.PORTONE_WEBHOOK_SECRET)
  ) {
    throw new ConfigError(
      'Invalid configuration:\n  PORTONE_CHANNEL_KEY: needs PORTONE_API_SECRET, PORTONE_STORE_ID and PORTONE_WEBHOOK_SECRET',
    );
  }
  if (parsed.SMTP_URL && !parsed.MAIL_FROM) {
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: required with SMTP_URL');
  }
  const dev = missing.length > 0 ? loadDevSecrets(parsed.DATA_DIR, names) : {};
  const secret = (n: (typeof names)[number]) => Buffer.from(parsed[n] ?? (dev[n] as string), 'hex');
  return {
    ...parsed,
    isProduction,
    publicUrl: (parsed.PUBLIC_URL ?? `http://${parsed.HOST}:${parsed.PORT}`).replace(/\/$/, ''),
    secrets: {
      sessionSecret: secret('SESSION_SECRET'),
      identityPepper: secret('IDENTITY_PEPPER'),
      dataKey: secret('DATA_KEY'),
      claimSigningKey: secret('CLAIM_SIGNING_KEY'),
    },
  };
}

/** For entry points: the configuration, or a message naming the bad variable and exit code 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
