import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ConfigError, loadConfig } from '../../src/config.js';

// every data directory a test makes is removed after the file's tests (a full run left ~55 behind)
const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fa-config-'));
  made.push(dir);
  return dir;
};
test.after.always(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

test('defaults listen on loopback and generate development secrets once', (t) => {
  const dir = tmp();
  const a = loadConfig({ DATA_DIR: dir });
  const b = loadConfig({ DATA_DIR: dir });
  t.is(a.HOST, '127.0.0.1');
  t.is(a.PORT, 3000);
  t.is(a.publicUrl, 'http://127.0.0.1:3000');
  t.is(a.secrets.sessionSecret.length, 32);
  t.deepEqual(a.secrets.sessionSecret, b.secrets.sessionSecret);
});

test('a bad value names the variable', (t) => {
  const err = t.throws(() => loadConfig({ PORT: 'eighty', DATA_DIR: tmp() }), { instanceOf: ConfigError });
  t.regex(err.message, /PORT/);
  t.throws(() => loadConfig({ SESSION_SECRET: 'short', DATA_DIR: tmp() }), {
    message: /SESSION_SECRET: must be 64/,
  });
  t.throws(() => loadConfig({ RUN_WORKER: 'maybe', DATA_DIR: tmp() }), { message: /RUN_WORKER/ });
});

test('production needs a database and real secrets', (t) => {
  const err = t.throws(() => loadConfig({ NODE_ENV: 'production' }), { instanceOf: ConfigError });
  t.regex(err.message, /SESSION_SECRET: required in production/);
  t.regex(err.message, /DATA_KEY: required in production/);
});

test('STOCK_PORT is off unless set, and a port other than PORT', (t) => {
  t.is(loadConfig({ DATA_DIR: tmp() }).STOCK_PORT, undefined);
  t.is(loadConfig({ DATA_DIR: tmp(), STOCK_PORT: '3001' }).STOCK_PORT, 3001);
  t.throws(() => loadConfig({ DATA_DIR: tmp(), STOCK_PORT: 'high' }), { message: /STOCK_PORT/ });
  t.throws(() => loadConfig({ DATA_DIR: tmp(), STOCK_PORT: '70000' }), { message: /STOCK_PORT/ });
  t.is(loadConfig({ DATA_DIR: tmp() }).STOCK_NICE, 10);
  t.is(loadConfig({ DATA_DIR: tmp(), STOCK_NICE: '19' }).STOCK_NICE, 19);
  t.throws(() => loadConfig({ DATA_DIR: tmp(), STOCK_NICE: '20' }), { message: /STOCK_NICE/ });
  t.throws(() => loadConfig({ DATA_DIR: tmp(), PORT: '3001', STOCK_PORT: '3001' }), {
    message: /STOCK_PORT: must differ from PORT/,
  });
});

test('TRUST_PROXY is off by default and counts the proxies in front', (t) => {
  t.is(loadConfig({ DATA_DIR: tmp() }).TRUST_PROXY, 0);
  t.is(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'true' }).TRUST_PROXY, 1);
  t.is(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  t.is(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'false' }).TRUST_PROXY, 0);
  t.throws(() => loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'everyone' }), { message: /TRUST_PROXY/ });
});

test('development secrets that cannot be read stop start-up with a clear message, and are not replaced', (t) => {
  const dir = tmp();
  const first = loadConfig({ DATA_DIR: dir });
  const file = path.join(dir, 'dev-secrets.json');
  const kept = fs.readFileSync(file, 'utf8');

  fs.writeFileSync(file, '{"SESSION_SECRET": "trunc');
  let err = t.throws(() => loadConfig({ DATA_DIR: dir }), { instanceOf: ConfigError });
  t.regex(err.message, /damaged.*DATA_KEY/s);
  t.is(fs.readFileSync(file, 'utf8'), '{"SESSION_SECRET": "trunc', 'the damaged file is left as it was');

  fs.rmSync(file);
  fs.mkdirSync(file); // reading a directory fails with EISDIR, not "missing"
  err = t.throws(() => loadConfig({ DATA_DIR: dir }), { instanceOf: ConfigError });
  t.regex(err.message, /Cannot read the development secrets/);

  fs.rmdirSync(file);
  fs.writeFileSync(file, kept);
  t.deepEqual(loadConfig({ DATA_DIR: dir }).secrets.dataKey, first.secrets.dataKey);
});

// A provider configured by halves would fail at the first send or sign-in: start-up refuses it, naming the variable.
const hex = 'ab'.repeat(32);
const sid = `AC${'0'.repeat(32)}`;
const token = 't'.repeat(16);
const productionSecrets = {
  NODE_ENV: 'production',
  SESSION_SECRET: hex,
  IDENTITY_PEPPER: hex,
  DATA_KEY: hex,
  CLAIM_SIGNING_KEY: hex,
};
const halfSet: [string, NodeJS.ProcessEnv, RegExp][] = [
  ['production without a database', productionSecrets, /DATABASE_URL: required in production/],
  [
    'OIDC without its JWKS',
    { OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'fa' },
    /set all three or none/,
  ],
  [
    '본인인증 without the API secret',
    { PORTONE_IDENTITY_CHANNEL_KEY: 'channel' },
    /needs PORTONE_API_SECRET/,
  ],
  ['Twilio without its token', { TWILIO_ACCOUNT_SID: sid }, /set both or neither/],
  ['Twilio without a sender', { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token }, /TWILIO_FROM: set it/],
  [
    'PortOne payments without the webhook secret',
    { PORTONE_CHANNEL_KEY: 'channel', PORTONE_API_SECRET: 'secret-0123', PORTONE_STORE_ID: 'store' },
    /PORTONE_CHANNEL_KEY: needs/,
  ],
  [
    'a PortOne webhook secret that is not base64 (every webhook would be refused)',
    { PORTONE_WEBHOOK_SECRET: 'whsec_not base64!' },
    /PORTONE_WEBHOOK_SECRET: the secret as PortOne shows it/,
  ],
  [
    'a PortOne webhook secret cut short',
    { PORTONE_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64').slice(0, -3)}` },
    /PORTONE_WEBHOOK_SECRET: base64 comes in groups of four/,
  ],
  ['SMTP without a sender', { SMTP_URL: 'smtp://127.0.0.1:2525' }, /MAIL_FROM: required with SMTP_URL/],
];
for (const [what, env, message] of halfSet) {
  test(`refused at start-up: ${what}`, (t) => {
    t.throws(() => loadConfig({ DATA_DIR: tmp(), ...env }), { instanceOf: ConfigError, message });
  });
}

test('set in full, each provider starts; PUBLIC_URL loses its trailing slash', (t) => {
  const c = loadConfig({
    ...productionSecrets,
    DATABASE_URL: 'postgres://db/fa',
    PUBLIC_URL: 'https://fa.example/',
    TWILIO_ACCOUNT_SID: sid,
    TWILIO_AUTH_TOKEN: token,
    TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: 'fa@example.org',
  });
  t.true(c.isProduction);
  t.is(c.publicUrl, 'https://fa.example');
  t.deepEqual(c.secrets.dataKey, Buffer.from(hex, 'hex'));
});
