// Words the pages look up by a status's name (`t('draw.status_' + status)`): a status without them showed its raw
// key on the public audit page (`draw.status_refused`), so every status is held against both catalogues (read as
// files: the translator would hide a missing English one behind the Korean).
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { HELD_STATUSES } from '../src/domain/counter.js';
import { LANGS } from '../src/i18n/catalogue.js';
import { rootDir } from '../src/paths.js';

for (const lang of LANGS)
  test(`every award status has its words on the audit page (${lang})`, (t) => {
    const file = path.join(rootDir, `templates/i18n/${lang}/draw.json`);
    const draw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const status of HELD_STATUSES) t.is(typeof draw[`status_${status}`], 'string', status);
  });
