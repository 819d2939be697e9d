// Importing sites from CSV: a page to paste (or load) the file and the same over JSON. Every row is checked
// first; any bad row is reported with its line and nothing is imported.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { importSites } from '../../../commands/importSites.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { type RowError, rowsInEnglish, rowText } from '../../csvRows.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { pageText } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse } from '../../validate.js';
import { SITE_CSV_COLUMNS, sitesFromCsv } from './csv.js';
import { csvBodySchema } from './schema.js';

/** The refusal for a file with bad rows: 422, one entry per problem, with its line. */
export function csvRefusal(errors: RowError[]): DomainError {
  const rows = rowsInEnglish(errors);
  return new DomainError('validation_failed', `${errors.length} row problem(s); nothing was imported`, {
    details: { rows },
    fields: Object.fromEntries(rows.map((e) => [`line ${e.line}`, e.message])),
  });
}

export function siteImportRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock };

  function page(ctx: Context, extra: { csv?: string; errors?: RowError[] } = {}, status = 200) {
    const t = ctx.state.t as Translate;
    const text = pageText(t, ctx.state.lang as Lang);
    render(
      ctx,
      'admin-csv-import',
      {
        title: t('admin.import.sites_title'),
        intro: t('admin.import.sites_intro'),
        action: '/admin/sites/import',
        back: '/admin/sites',
        columns: [...SITE_CSV_COLUMNS.required, ...SITE_CSV_COLUMNS.optional],
        required: SITE_CSV_COLUMNS.required,
        example:
          'id,name_ko,name_en,district,district_en,address,address_en,phone,hours_ko,hours_en,lat,lng\nPH-JUNG-01,중앙약국,Jungang Pharmacy,중구,Jung-gu,서울 중구 세종대로 1,"1 Sejong-daero, Jung-gu, Seoul",02-123-4567,평일 09:00-18:00,Weekdays 09:00-18:00,37.5636,126.9976',
        csv: extra.csv ?? '',
        // a cell is named by its column, as the file names it
        errors: (extra.errors ?? []).map((e) => ({ line: e.line, message: rowText(e, text, (f) => f) })),
      },
      status,
    );
  }

  router.get('/admin/sites/import', requireStaffPage('admin'), (ctx) => page(ctx));

  router.post('/admin/sites/import', requireStaffPage('admin'), async (ctx) => {
    const { csv } = parse(csvBodySchema, { csv: bodyOf(ctx).csv ?? '' });
    const { sites, columns, errors } = sitesFromCsv(csv);
    if (errors.length) return page(ctx, { csv, errors }, statusOf('validation_failed'));
    const { count } = await importSites(cmd, staffActor(ctx.state.staff), sites, columns);
    ctx.status = 303;
    ctx.redirect(`/admin/sites?imported=${count}`);
  });

  router.post('/api/admin/sites/import', requireStaff('admin'), async (ctx) => {
    const { csv } = parse(csvBodySchema, ctx.request.body);
    const { sites, columns, errors } = sitesFromCsv(csv);
    if (errors.length) throw csvRefusal(errors);
    ctx.status = 201;
    ctx.body = await importSites(cmd, staffActor(ctx.state.staff), sites, columns);
  });
}
