// Field faults are keys of the validation catalogue (src/http/problems.ts): every key the code names has its words
// in Korean and in English (read as files: the translator would hide a missing English one behind the Korean, and
// a missing key would show as the key itself).
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { LANGS } from '../src/i18n/catalogue.js';
import { rootDir } from '../src/paths.js';

const root = rootDir;

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** 'validation.x' in a schema, `${AREA}x` in the default wording, and problem(field, 'x') / add(field, 'x'). */
const USES = [
  /'validation\.([a-z_]+)'/g,
  /`\$\{AREA\}([a-z_]+)`/g,
  /\b(?:problem|add|lineError)\(\s*[^,()]+,\s*'([a-z_]+)'/g,
];

const used = new Set(
  sources('src').flatMap((file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    return USES.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  }),
);

test('the walk finds the keys of the schemas, the domain and the CSV reader', (t) => {
  for (const key of ['required', 'closes_after_opens', 'slot_unknown_site', 'csv_missing_columns', 'at_most'])
    t.true(used.has(key), key);
});

for (const lang of LANGS)
  test(`every field fault the code names has its words (${lang})`, (t) => {
    const file = path.join(root, `templates/i18n/${lang}/validation.json`);
    const words = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const missing = [...used].filter((key) => typeof words[key] !== 'string');
    t.deepEqual(missing, []);
  });
