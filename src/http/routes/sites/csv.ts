// Sites from CSV: one row per site (id, names, district and address in Korean and optionally English, phone,
// hours, coordinates), each checked with the same schema as the form and the JSON API; an error per bad row, and
// then nothing is imported. A column left out of the file is empty for a new site and kept for an existing one (an
// older file without district_en and address_en does not wipe the English an operator typed since).
import { SITE_COLUMNS, type Site } from '../../../db/repos/sites.js';
import { type Problem, problem } from '../../../domain/errors.js';
import { type RowError, readCsv, rowErrors } from '../../csvRows.js';
import { problemsOf } from '../../problems.js';
import { check } from '../../validate.js';
import { siteId, siteSchema } from './schema.js';

const REQUIRED = ['id', 'name_ko', 'name_en'] as const;

/** The id and names, then every other column the site pages show (SITE_COLUMNS), each optional. */
export const SITE_CSV_COLUMNS = {
  required: REQUIRED,
  optional: SITE_COLUMNS.filter((c) => !(REQUIRED as readonly string[]).includes(c)),
};

export function sitesFromCsv(text: string): {
  sites: Site[];
  /** the site columns the file has: the ones an existing site's row replaces */
  columns: Array<keyof Site>;
  errors: RowError[];
} {
  const { rows, errors } = readCsv(text, SITE_CSV_COLUMNS);
  const header = Object.keys(rows[0]?.cells ?? {});
  const columns = SITE_COLUMNS.filter((c) => header.includes(c));
  const sites: Site[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of rows) {
    const problems: Problem[] = [];
    const id = check(siteId, cells.id ?? '');
    const firstLine = id.success ? seen.get(id.data) : undefined;
    if (!id.success) problems.push(...problemsOf(id.error, ['id']));
    else if (firstLine !== undefined)
      problems.push(problem('id', 'site_id_also_on_line', { line: firstLine }));
    else seen.set(id.data, line);
    const site = check(siteSchema, cells);
    if (!site.success) problems.push(...problemsOf(site.error));
    else if (id.success && problems.length === 0) sites.push({ id: id.data, ...site.data });
    errors.push(...rowErrors(line, problems));
  }
  return { sites: errors.length ? [] : sites, columns, errors };
}
