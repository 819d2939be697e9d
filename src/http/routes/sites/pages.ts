// Admin site pages: the list of pharmacies and merchants, and a form to add or change one (commands/saveSite).
// Auditors may look. The richer management pages and CSV import come with the collection work.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { saveSite } from '../../../commands/saveSite.js';
import { findSite, listSites, SITE_COLUMNS, type Site } from '../../../db/repos/sites.js';
import { DomainError, type FieldErrors, type Problem, problem } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { pageText, problemFields, problemsOf } from '../../problems.js';
import { render } from '../../render.js';
import { check, parse } from '../../validate.js';
import { siteId, siteSchema } from './schema.js';

// The form has a field for each column the site pages show.
type SiteValues = Record<(typeof SITE_COLUMNS)[number], string>;

const valuesFrom = (body: unknown): SiteValues => {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(SITE_COLUMNS.map((k) => [k, typeof b[k] === 'string' ? b[k] : ''])) as SiteValues;
};

export function sitePageRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock };

  async function showList(
    ctx: Context,
    form: { values: SiteValues; errors: FieldErrors; summary: string } = {
      values: valuesFrom({}),
      errors: {},
      summary: '',
    },
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    render(
      ctx,
      'admin-sites',
      {
        title: t('admin.sites_title'),
        sites: await listSites(deps.db),
        isAdmin: (ctx.state.staff as StaffSession).role === 'admin',
        notice: ctx.query.saved
          ? t('admin.site_saved')
          : ctx.query.imported
            ? t('admin.import.done_sites', { n: Number(ctx.query.imported) || 0 })
            : '',
        ...form,
      },
      status,
    );
  }

  function showEdit(
    ctx: Context,
    site: Site,
    values: SiteValues,
    errors: FieldErrors = {},
    summary = '',
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    render(
      ctx,
      'admin-site-form',
      { title: t('admin.site_edit_title'), site, values, errors, summary },
      status,
    );
  }

  /** Validates with the JSON API's schema and saves; on failure returns every field's faults in the page's words. */
  async function save(ctx: Context, id: string, values: SiteValues, isNew: boolean) {
    const problems: Problem[] = [];
    const idCheck = check(siteId, id);
    if (!idCheck.success) problems.push(...problemsOf(idCheck.error, ['id']));
    const parsed = check(siteSchema, values);
    if (!parsed.success) problems.push(...problemsOf(parsed.error));
    if (isNew && idCheck.success && (await findSite(deps.db, id)))
      problems.push(problem('id', 'site_id_taken'));
    if (problems.length > 0 || !parsed.success)
      return problemFields(problems, pageText(ctx.state.t as Translate, ctx.state.lang as Lang));
    await saveSite(cmd, staffActor(ctx.state.staff), { id, ...parsed.data });
    return undefined;
  }

  router.get('/admin/sites', requireStaffPage('admin', 'auditor'), async (ctx) => {
    await showList(ctx);
  });

  router.post('/admin/sites', requireStaffPage('admin'), async (ctx) => {
    const values = valuesFrom(ctx.request.body);
    const errors = await save(ctx, values.id.trim(), values, true);
    if (!errors) {
      ctx.status = 303;
      ctx.redirect('/admin/sites?saved=1');
      return;
    }
    const t = ctx.state.t as Translate;
    await showList(
      ctx,
      { values, errors, summary: t('errors.validation_failed') },
      statusOf('validation_failed'),
    );
  });

  async function load(ctx: Context): Promise<Site> {
    const id = parse(z.object({ id: siteId }), { id: ctx.params.id }).id;
    const site = await findSite(deps.db, id);
    if (!site) throw new DomainError('not_found', 'No such site');
    return site;
  }

  router.get('/admin/sites/:id/edit', requireStaffPage('admin'), async (ctx) => {
    const site = await load(ctx);
    showEdit(ctx, site, valuesFrom({ ...site, lat: String(site.lat ?? ''), lng: String(site.lng ?? '') }));
  });

  router.post('/admin/sites/:id/edit', requireStaffPage('admin'), async (ctx) => {
    const site = await load(ctx);
    const values = { ...valuesFrom(ctx.request.body), id: site.id };
    const errors = await save(ctx, site.id, values, false);
    if (!errors) {
      ctx.status = 303;
      ctx.redirect('/admin/sites?saved=1');
      return;
    }
    showEdit(
      ctx,
      site,
      values,
      errors,
      (ctx.state.t as Translate)('errors.validation_failed'),
      statusOf('validation_failed'),
    );
  });
}
