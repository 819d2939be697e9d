// A lock held elsewhere (another connection: a long job, a stuck session) makes a request answer `busy` after
// the lock timeout instead of hanging, and the refused request leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import pg from 'pg';
import { inTransaction, LOCK_TIMEOUT_MS } from '../../src/db/transaction.js';
import { DomainError } from '../../src/domain/errors.js';
import { rootDir } from '../../src/paths.js';
import { type StaffAuth, startTestApp, type TestApp } from '../helpers/app.js';
import { type CookieSession, signInWithForm } from '../helpers/browserSession.js';
import { buildVoucherCampaign } from '../helpers/factories.js';

let app: TestApp;
let admin: StaffAuth;
let formAdmin: CookieSession;

test.before(async () => {
  app = await startTestApp();
  admin = await app.staff('admin');
  formAdmin = await signInWithForm(app, 'admin');
});
test.after.always(async () => {
  await app?.close();
});

// Generous for a loaded 2-core machine; a hang would be the holder's whole lifetime (here: WITHIN_MS).
const WITHIN_MS = LOCK_TIMEOUT_MS + 5000;

/** Long enough for every request a test makes while holding; short of ava's timeout. */
const HOLD_AT_MOST_MS = 60_000;

/**
 * A second connection that takes a lock inside its own open transaction and keeps it until release(), or until
 * HOLD_AT_MOST_MS have passed: without the timeout a request then goes through late and the test fails, not hangs.
 */
async function holdLock(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: app.database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql, params);
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= client.query('ROLLBACK').then(() => client.end());
    return released;
  };
  const safety = setTimeout(release, HOLD_AT_MOST_MS);
  return {
    release() {
      clearTimeout(safety);
      return release();
    },
  };
}

async function newCampaign(): Promise<{ id: string; body: Record<string, unknown> }> {
  const body = buildVoucherCampaign(app.clock.now());
  const res = await app.request('POST', '/api/admin/campaigns', { as: admin, json: body });
  if (res.status !== 201) throw new Error(res.text);
  return { id: res.json.campaign.id, body };
}

/** Everything a refused change could have touched. */
async function snapshot(id: string) {
  const c = await app.db('campaigns').where({ id }).first('state', 'version', 'title_ko', 'updated_at');
  const audit = Number((await app.db('audit_log').count('* as n').first())?.n);
  return { c, audit };
}

async function timed<T>(run: () => Promise<T>): Promise<{ reply: T; ms: number }> {
  const started = performance.now();
  const reply = await run();
  return { reply, ms: performance.now() - started };
}

test.serial(
  'a campaign row locked elsewhere: the API edit answers busy within the lock timeout; nothing changed',
  async (t) => {
    const { id, body } = await newCampaign();
    const before = await snapshot(id);
    const holder = await holdLock('SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE', [id]);
    try {
      const edit = () =>
        app.request('PUT', `/api/admin/campaigns/${id}`, {
          as: admin,
          json: { ...body, title_ko: '바뀌면 안 됨', version: 1 },
        });
      const { reply, ms } = await timed(edit);
      t.is(reply.status, 503, reply.text);
      t.is(reply.headers.get('retry-after'), '1');
      t.is(reply.json.error.code, 'busy');
      t.deepEqual(reply.json.error.details, { retry_after: 1 });
      t.is(typeof reply.json.error.request_id, 'string');
      t.true(ms >= LOCK_TIMEOUT_MS * 0.9, `answered after ${ms} ms: it waited for the lock first`);
      t.true(ms < WITHIN_MS, `answered after ${ms} ms`);
      t.deepEqual(await snapshot(id), before);
    } finally {
      await holder.release();
    }
    const again = await app.request('PUT', `/api/admin/campaigns/${id}`, {
      as: admin,
      json: { ...body, title_ko: '이제 바뀜', version: 1 },
    });
    t.is(again.status, 200, again.text);
    t.is((await snapshot(id)).c.title_ko, '이제 바뀜');
  },
);

test.serial(
  'the audit chain locked elsewhere: the page says busy in its language, the API in JSON; nothing changed',
  async (t) => {
    const { id } = await newCampaign();
    const before = await snapshot(id);
    const holder = await holdLock(`SELECT pg_advisory_xact_lock(hashtext('audit_log'))`);
    try {
      const { reply: page, ms } = await timed(() => formAdmin.post(`/admin/campaigns/${id}/schedule`, {}));
      t.is(page.status, 503);
      t.regex(page.headers.get('content-type') ?? '', /text\/html/);
      t.is(page.json, undefined);
      t.regex(page.text, /<html lang="ko">/);
      t.regex(page.text, /지금 같은 일을 처리하느라 바쁩니다/);
      t.true(ms < WITHIN_MS, `answered after ${ms} ms`);

      const en = await app.request('POST', `/admin/campaigns/${id}/schedule?lang=en`, {
        headers: { accept: 'text/html', cookie: `${formAdmin.cookie}; lang=en` },
        form: { _csrf: formAdmin.csrf() },
      });
      t.is(en.status, 503);
      t.regex(en.text, /We are busy with this right now/);

      const api = await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
      t.is(api.status, 503);
      t.is(api.headers.get('retry-after'), '1');
      t.is(api.json.error.code, 'busy');
      t.deepEqual(await snapshot(id), before);
    } finally {
      await holder.release();
    }
    const again = await app.request('POST', `/api/admin/campaigns/${id}/schedule`, { as: admin, json: {} });
    t.is(again.status, 200, again.text);
    t.is((await snapshot(id)).c.state, 'scheduled');
  },
);

test('every command a route calls opens its transactions with inTransaction (a lock timeout), not db.transaction', (t) => {
  const src = path.join(rootDir, 'src');
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
    });
  const called = new Set<string>();
  for (const file of walk(path.join(src, 'http'))) {
    // a type-only import calls nothing
    const imports = /import\s+(type\s)?[^;]*?from '((?:\.\.\/)+commands\/[^']+)\.js'/g;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(imports)) {
      if (!m[1]) called.add(path.resolve(path.dirname(file), `${m[2]}.ts`));
    }
  }
  t.true(called.size > 20, 'the walk found the commands');
  const open = [...called]
    .filter((f) => /\bctx\.db\.transaction\(/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(src, f));
  t.deepEqual(open, []);
});

test.serial(
  'a deadlock PostgreSQL ends by rolling the request back is busy, and leaves nothing',
  async (t) => {
    await app.db.raw('CREATE TABLE deadlock_probe (id int PRIMARY KEY)');
    t.teardown(() => app.db.raw('DROP TABLE IF EXISTS deadlock_probe'));
    await app.db('deadlock_probe').insert([{ id: 1 }, { id: 2 }]);
    const other = new pg.Client({ connectionString: app.database.url });
    await other.connect();
    t.teardown(() => other.end());
    await other.query('BEGIN');
    await other.query('SELECT id FROM deadlock_probe WHERE id = 2 FOR UPDATE');
    let otherDone: Promise<unknown> | undefined;
    const request = inTransaction(app.db, async (trx) => {
      await trx('deadlock_probe').insert({ id: 3 });
      await trx.raw('SELECT id FROM deadlock_probe WHERE id = 1 FOR UPDATE');
      // the other side now wants row 1 while this one waits for row 2: a cycle PostgreSQL must break
      otherDone = new Promise((r) => setTimeout(r, 200)).then(() =>
        other.query('SELECT id FROM deadlock_probe WHERE id = 1 FOR UPDATE'),
      );
      await trx.raw('SELECT id FROM deadlock_probe WHERE id = 2 FOR UPDATE');
    });
    const err = await t.throwsAsync(request);
    t.true(err instanceof DomainError && err.code === 'busy', String(err));
    await otherDone; // the survivor goes on
    await other.query('COMMIT');
    t.deepEqual(
      (await app.db('deadlock_probe').orderBy('id')).map((r) => r.id),
      [1, 2],
      'nothing of it stays',
    );
  },
);
