// Sites from CSV: one row per site (id, names, district, address, phone, hours, coordinates), each checked with
// the same schema as the form and the JSON API; an error per bad row, and then nothing is imported.
import type { Site } from '../../../db/repos/sites.js';
import { type Problem, problem } from '../../../domain/errors.js';
import { type RowError, readCsv, rowErrors } from '../../csvRows.js';
import { problemsOf } from '../../problems.js';
import { check } from '../../validate.js';
import { siteId, siteSchema } from './schema.js';

export const SITE_CSV_COLUMNS = {
  required: ['id', 'name_ko', 'name_en'],
  optional: ['district', 'address', 'phone', 'hours_ko', 'hours_en', 'lat', 'lng'],
} as const;

export function sitesFromCsv(text: string): { sites: Site[]; errors: RowError[] } {
  const { rows, errors } = readCsv(text, SITE_CSV_COLUMNS);
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
  return { sites: errors.length ? [] : sites, errors };
}
