import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ConfigError, loadConfig } from '../../src/config.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fa-config-'));

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
