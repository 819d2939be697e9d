// The real app on 127.0.0.1 against a private database, with a stepped clock and signed-in staff. It is built
// by composeApp, as npm start builds it, from a configuration validated by loadConfig.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/clock.js';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { composeApp, type Overrides } from '../../src/compose.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { StaffRole } from '../../src/db/repos/staff.js';
import { requestListener } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import { keepConnections } from '../../src/http/keepAlive.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { SteppedClock } from './clock.js';
import { createTestDatabase, TEST_DATA_KEY, type TestDatabase } from './db.js';

export const TEST_SECRETS = {
  sessionSecret: Buffer.alloc(32, 1),
  identityPepper: Buffer.alloc(32, 2),
  dataKey: TEST_DATA_KEY,
  claimSigningKey: Buffer.alloc(32, 4),
};

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely
  json: any;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  as?: StaffAuth;
  redirect?: 'manual' | 'follow';
}

export interface StaffAuth {
  id: string;
  role: StaffRole;
  token: string;
  csrf: string;
  headers: Record<string, string>;
}

export interface TestApp {
  url: string;
  db: TestDatabase['db'];
  database: TestDatabase;
  clock: SteppedClock;
  deps: AppDeps;
  request(method: string, path: string, opts?: RequestOptions): Promise<Reply>;
  staff(role: StaffRole, opts?: { site_id?: string }): Promise<StaffAuth>;
  close(): Promise<void>;
}

let staffCounter = 0;

/**
 * Stops the test server. close() ends only the connections idle at its call: one still answering (a webhook the
 * development provider posts after a checkout) then stayed open for KEEP_ALIVE_MS, 35 s added to its test's end.
 * Connections are swept as they go idle, and any left after a few seconds are cut. Not the service's own
 * drainableServer (src/http/drain.ts): its 200 ms settle would be added to every test's close.
 */
async function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const cut = setTimeout(() => server.closeAllConnections(), 5000);
  await closed;
  clearInterval(sweep);
  clearTimeout(cut);
}

/** What a test may put in place of the intake's defaults (see Overrides in src/compose.ts). */
export type IntakeOverrides = Pick<
  Overrides,
  'random' | 'limits' | 'rulesTtlMs' | 'oidc' | 'portone' | 'applicationLanes'
>;

/** The configuration a test app starts from: validated like production's, with fixed secrets. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      PUBLIC_URL: 'http://127.0.0.1',
      SESSION_SECRET: hex(TEST_SECRETS.sessionSecret),
      IDENTITY_PEPPER: hex(TEST_SECRETS.identityPepper),
      DATA_KEY: hex(TEST_SECRETS.dataKey),
      CLAIM_SIGNING_KEY: hex(TEST_SECRETS.claimSigningKey),
    }),
    ...overrides,
  };
}

export async function startTestApp(
  opts: {
    clock?: Clock;
    database?: TestDatabase;
    config?: Partial<Config>;
    /** with intake overrides the identity providers are only the ones given (none from the configuration) */
    intake?: IntakeOverrides;
    signInLimits?: Overrides['signInLimits'];
    logger?: AppDeps['logger'];
    /** the payment provider, built once the app's own URL is known (providers send the browser back to it) */
    payments?: (url: string, db: AppDeps['db']) => NonNullable<AppDeps['payments']>;
    /** PUBLIC_URL is the test server's own address, not the fixed http://127.0.0.1 */
    ownPublicUrl?: boolean;
  } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const clock = (opts.clock as SteppedClock | undefined) ?? new SteppedClock();
  const server = keepConnections(http.createServer()); // as src/main.ts's
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = testConfig({ ...opts.config, ...(opts.ownPublicUrl ? { publicUrl: url } : {}) });
  const { app, deps } = composeApp(config, database.db, {
    clock,
    logger: opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    metrics: createMetrics({ defaults: false }),
    ...(opts.intake ? { oidc: undefined, portone: undefined, ...opts.intake } : {}),
    ...(opts.signInLimits ? { signInLimits: opts.signInLimits } : {}),
    payments: opts.payments?.(url, database.db),
  });
  server.on('request', requestListener(deps, app));

  async function request(method: string, path: string, o: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(o.as?.headers ?? {}),
      ...(o.headers ?? {}),
    };
    let body: string | undefined = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    } else if (o.form) {
      body = new URLSearchParams(o.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url + path, { method, headers, body, redirect: o.redirect ?? 'manual' });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async function staff(role: StaffRole, o: { site_id?: string } = {}): Promise<StaffAuth> {
    const email = `${role}${++staffCounter}-${Date.now()}@test.example`;
    const password = 'correct horse battery staple';
    const { staff } = await addStaff(
      { db: database.db, clock },
      { kind: 'system', name: 'test' },
      {
        email,
        role,
        site_id: o.site_id,
        password,
      },
    );
    const res = await request('POST', '/api/staff/session', { json: { email, password } });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
    return {
      id: staff.id,
      role,
      token: res.json.token,
      csrf: res.json.csrf_token,
      headers: { authorization: `Bearer ${res.json.token}` },
    };
  }

  return {
    url,
    db: database.db,
    database,
    clock,
    deps,
    request,
    staff,
    async close() {
      await closeServer(server);
      if (!opts.database) await database.drop();
    },
  };
}
