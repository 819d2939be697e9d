// Routes pick no error status of their own: every refusal's status comes from the one mapping in
// src/http/errors.ts (STATUS / statusOf), so a page and the API answer the same code with the same status.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { STATUS, statusOf } from '../../src/http/errors.js';
import { rootDir } from '../../src/paths.js';

const routes = path.join(rootDir, 'src/http/routes');

// Not refusals: a probe's answer and a "deliver again later" to a payment provider.
const NOT_ERRORS = new Set(['health.ts', 'payments/webhooks.ts']);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** A 4xx/5xx literal where a status goes: assigned, passed as an argument, or chosen in a ternary. */
const LITERAL_STATUS = /ctx\.status\s*=[^;]*\b[45]\d\d\b|ctx\.throw\(|[,(?:]\s*[45]\d\d\s*[,):]/;

test('no route hard-codes an error status', (t) => {
  const found = files(routes)
    // schema.ts files hold length limits, never statuses
    .filter((f) => !NOT_ERRORS.has(path.relative(routes, f)) && !f.endsWith('schema.ts'))
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/\/\/.*$|^\s*\*.*$|\/\*\*.*$/, ''), at: i + 1 }))
        .filter(
          ({ line }) => LITERAL_STATUS.test(line) && !/\.(max|min|length|default)\(\s*[45]\d\d/.test(line),
        )
        .map(({ line, at }) => `${path.relative(routes, f)}:${at}: ${line.trim()}`),
    );
  t.deepEqual(found, []);
});

test('every error code has a status, and statusOf reads the same table', (t) => {
  for (const code of ERROR_CODES) {
    t.true(STATUS[code] >= 400 && STATUS[code] < 600, code);
    t.is(statusOf(code), STATUS[code]);
  }
});

test('every code (and internal) has its message, and every status its heading, in Korean and in English', (t) => {
  // The error page shows these words as they are: a missing one would show its key.
  const statuses = new Set([...Object.values(STATUS), 500]);
  for (const lang of ['ko', 'en']) {
    const file = path.join(rootDir, `templates/i18n/${lang}/errors.json`);
    const words = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & {
      heading: Record<string, string>;
    };
    for (const code of [...ERROR_CODES, 'internal'])
      t.true(typeof words[code] === 'string', `${lang}: ${code}`);
    for (const status of statuses) t.true(typeof words.heading[status] === 'string', `${lang}: ${status}`);
  }
});
