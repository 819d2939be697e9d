// The CLIs refusing what an operator mistyped: each names the problem on stderr, exits 2 (usage) or 1 (refused
// input or a refusal of the command) and writes nothing. Run as the operator runs them, as child processes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { projectRoot, runScript } from '../helpers/runScript.js';
import { tempDirs } from '../helpers/tempDirs.js';

const root = projectRoot;
const fixtures = join(root, 'test/fixtures/draw');
const SECRET = '00'.repeat(32);
const tmp = tempDirs('cli-errors-');

const run = runScript;

test('draw: an unknown option, a rules file that is not JSON or not there: exit 2, no bundle written', async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'rules.json'), '{"sites": [');
  const out = join(dir, 'bundle.json');
  const base = ['--roster', join(fixtures, 'roster.json'), '--secret', SECRET, '--beacon', 'b', '--out', out];
  const [unknown, notJson, missing] = await Promise.all([
    run('draw.ts', ['--rules', join(fixtures, 'rules.json'), ...base, '--seed', '1']),
    run('draw.ts', ['--rules', join(dir, 'rules.json'), ...base]),
    run('draw.ts', ['--rules', join(dir, 'none.json'), ...base]),
  ]);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /Unknown option '--seed'/);
  t.is(notJson.code, 2);
  t.regex(notJson.stderr, /the rules file .*rules\.json is not valid JSON/);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /cannot read the rules file .*none\.json/);
  t.false(existsSync(out), 'a refused input writes nothing');
});

test('verify: an unknown option, a bundle and --receipt together, a truncated or broken bundle', async (t) => {
  const dir = tmp();
  const bundle = readFileSync(join(fixtures, 'bundle.cjson'), 'utf8');
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const [unknown, both, truncated, noColon, badOutside, array] = await Promise.all([
    run('verify.ts', ['--fast', file('a.json', bundle)]),
    run('verify.ts', ['--receipt', 'r.json', join(dir, 'a.json')]),
    run('verify.ts', [file('truncated.json', bundle.slice(0, bundle.indexOf('"results"') + 40))]),
    run('verify.ts', [file('nocolon.json', '{"roster" []}')]),
    run('verify.ts', [file('outside.json', bundle.replace('{', '{"x":01,'))]),
    run('verify.ts', [file('array.json', '[1, 2]')]),
  ]);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /Unknown option '--fast'/);
  t.is(both.code, 2);
  t.regex(both.stderr, /either a bundle or --receipt, not both/);
  for (const [name, r] of [
    ['truncated', truncated],
    ['no colon', noColon],
    ['bad JSON outside the results', badOutside],
  ] as const) {
    t.is(r.code, 2, name);
    t.regex(r.stderr, /is not valid JSON/, name);
    t.is(r.stdout, '', name);
  }
  t.is(array.code, 1, array.stderr);
  t.regex(array.stdout, /^mismatch: /);
});

test('rfc3797: an unknown option, no source, more picks than the pool: exit 2 with the reason', async (t) => {
  const [unknown, noSource, tooMany] = await Promise.all([
    run('rfc3797.ts', ['--pool', '5', '--pick', '2', '--source', '1', '--seed', '3']),
    run('rfc3797.ts', ['--pool', '5', '--pick', '2']),
    run('rfc3797.ts', ['--pool', '3', '--pick', '4', '--source', '9319']),
  ]);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /rfc3797: Unknown option '--seed'/);
  t.is(noSource.code, 2);
  t.regex(noSource.stderr, /at least one --source is required/);
  t.is(tooMany.code, 2);
  t.regex(tooMany.stderr, /^rfc3797: .*pick/m);
  t.is(tooMany.stdout, '', 'nothing selected');
});

test('verify-queue: no file, or the document of a sale not open yet: exit 2 with the reason', async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'queue.json'), JSON.stringify({ audit: { entries: [] } }));
  const [none, notOpen] = await Promise.all([
    run('verify-queue.ts', []),
    run('verify-queue.ts', [join(dir, 'queue.json')]),
  ]);
  t.is(none.code, 2);
  t.regex(none.stderr, /usage: npm run verify-queue -- queue\.json/);
  t.is(notOpen.code, 2);
  t.regex(notOpen.stderr, /no secret or entries: is the sale open yet\?/);
});

test('simulate: a mode, count or process number it cannot run: exit 2 with the usage, nothing started', async (t) => {
  const out = tmp();
  const tries = await Promise.all(
    [
      ['--mode', 'rush'],
      ['--residents', '0'],
      ['--web-processes', '0'],
      ['--web-processes', '1.5'],
    ].map((args) => run('simulate.ts', [...args, '--out', out])),
  );
  for (const r of tries) {
    t.is(r.code, 2, r.stderr);
    t.regex(
      r.stderr,
      /usage: npm run simulate -- --mode instant\|lottery .*\[--web-processes W \(1\.\.16\)\]/,
    );
  }
  t.false(existsSync(join(out, 'service.log')), 'no service started');
});

let database: TestDatabase | undefined;
test.after.always(() => database?.drop());

test('staff and migrate: usage errors exit 2; a refused account exits 1 and adds nothing', async (t) => {
  database = await createTestDatabase(2);
  const env = { ...process.env, DATABASE_URL: database.url, DATA_DIR: tmp(), LOG_LEVEL: 'silent' };
  const staffRows = async () => (await database!.db('staff').select('email')).map((r) => r.email).sort();
  const before = await staffRows();
  const [noCommand, badFields, noMigrateCommand] = await Promise.all([
    run('staff.ts', ['remove', '--email', 'a@city.example'], env),
    run('staff.ts', ['add', '--email', 'not-an-address', '--role', 'mayor', '--password', 'short'], env),
    run('migrate.ts', ['sideways'], env),
  ]);
  t.is(noCommand.code, 2);
  t.regex(noCommand.stderr, /^usage: npm run staff -- add/);
  t.is(badFields.code, 2);
  t.regex(badFields.stderr, /--email: not an email address/);
  t.regex(badFields.stderr, /--role: /);
  t.regex(badFields.stderr, /--password: at least 12 characters/);
  t.is(noMigrateCommand.code, 2);
  t.regex(noMigrateCommand.stderr, /usage: migrate\.ts latest\|rollback/);
  const [unknownSite, upToDate] = await Promise.all([
    run(
      'staff.ts',
      ['add', '--email', 'pharmacist@city.example', '--role', 'site_staff', '--site', 'PH-404'],
      env,
    ),
    run('migrate.ts', ['latest'], env),
  ]);
  t.is(unknownSite.code, 1);
  t.regex(unknownSite.stderr, /Unknown site: \{"site_id":"Unknown site PH-404"\}/);
  t.is(upToDate.code, 0, upToDate.stderr);
  t.is(upToDate.stdout.trim(), 'nothing to do: already up to date');
  const added = await run('staff.ts', ['add', '--email', 'ops@city.example', '--role', 'admin'], env);
  t.is(added.code, 0, added.stderr);
  t.regex(
    added.stdout,
    /^added admin ops@city\.example\none-time sign-in link \(24 hours\): http:\/\/.+\/staff\/login\/\S+/,
  );
  const again = await run('staff.ts', ['add', '--email', 'ops@city.example', '--role', 'auditor'], env);
  t.is(again.code, 1);
  t.regex(again.stderr, /A staff member with this email exists: \{"email":"Already registered"\}/);
  t.notRegex(again.stderr + unknownSite.stderr, /\n\s+at /, 'a plain message, not a stack trace');
  t.deepEqual(await staffRows(), [...before, 'ops@city.example'].sort());
});
