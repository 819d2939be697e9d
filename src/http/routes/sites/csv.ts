// Sites from CSV: one row per site (id, names, district, address, phone, hours, coordinates), each checked with
// the same schema as the form and the JSON API; an error per bad row, and then nothing is imported.
import type { Site } from '../../../db/repos/sites.js';
import { DomainError } from '../../../domain/errors.js';
import { type RowError, readCsv, rowErrors } from '../../csvRows.js';
import { parse } from '../../validate.js';
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
    const fields: Record<string, string> = {};
    const id = siteId.safeParse(cells.id ?? '');
    if (!id.success) fields.id = id.error.issues[0]?.message ?? 'Not valid';
    else if (seen.has(id.data)) fields.id = `Also on line ${seen.get(id.data)}`;
    else seen.set(id.data, line);
    try {
      const site = parse(siteSchema, cells);
      if (id.success && !fields.id) sites.push({ id: id.data, ...site });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      Object.assign(fields, err.fields);
    }
    errors.push(...rowErrors(line, fields));
  }
  return { sites: errors.length ? [] : sites, errors };
}
