// A site's staff accounts, for admins: who can sign in at the counter, adding one (its one-time sign-in link is
// shown once, as `npm run staff` prints it) and disabling one (its sessions end at once).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { addStaff, disableStaff } from '../../../commands/staffAccounts.js';
import { findSite, type Site } from '../../../db/repos/sites.js';
import { findStaffById, listSiteStaff } from '../../../db/repos/staff.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import { siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { fieldMessages } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse } from '../../validate.js';
import { formatMoment } from '../campaigns/view.js';
import { siteId } from './schema.js';

const newStaffSchema = z.object({
  email: z.email('validation.email_format').max(200),
  password: z
    .string()
    .max(200)
    .refine((p) => p === '' || p.length >= 12, 'validation.password_length')
    .default(''),
});

export function siteStaffPageRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock, staffSessions: deps.staffSessions };

  async function load(ctx: Context): Promise<Site> {
    const id = parse(z.object({ id: siteId }), { id: ctx.params.id }).id;
    const site = await findSite(deps.db, id);
    if (!site) throw new DomainError('not_found', 'No such site');
    return site;
  }

  async function show(
    ctx: Context,
    site: Site,
    extra: { values?: Record<string, string>; errors?: FieldErrors; link?: string; notice?: string } = {},
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const staff = await listSiteStaff(deps.db, site.id);
    render(
      ctx,
      'admin-site-staff',
      {
        title: t('admin.site_staff.title', { site: siteWords(site, lang).name }),
        site,
        staff: staff.map((s) => ({ ...s, since: formatMoment(s.created_at, 'Asia/Seoul', lang) })),
        values: extra.values ?? { email: '' },
        errors: extra.errors ?? {},
        link: extra.link ?? '',
        notice: extra.notice ?? (ctx.query.disabled ? t('admin.site_staff.disabled_done') : ''),
      },
      status,
    );
  }

  router.get('/admin/sites/:id/staff', requireStaffPage('admin'), async (ctx) => {
    await show(ctx, await load(ctx));
  });

  router.post('/admin/sites/:id/staff', requireStaffPage('admin'), async (ctx) => {
    const site = await load(ctx);
    const body = bodyOf(ctx);
    const values = { email: typeof body.email === 'string' ? body.email.trim() : '' };
    try {
      const input = parse(newStaffSchema, { ...values, password: body.password ?? '' });
      const { loginToken } = await addStaff(cmd, staffActor(ctx.state.staff), {
        email: input.email,
        role: 'site_staff',
        site_id: site.id,
        ...(input.password ? { password: input.password } : {}),
      });
      const t = ctx.state.t as Translate;
      await show(
        ctx,
        site,
        { link: `${deps.config.publicUrl}/staff/login/${loginToken}`, notice: t('admin.site_staff.added') },
        201,
      );
    } catch (err) {
      if (!(err instanceof DomainError) || !(err.fields || err.problems)) throw err;
      await show(
        ctx,
        site,
        { values, errors: fieldMessages(err, ctx.state.t as Translate, ctx.state.lang as Lang) },
        statusOf(err),
      );
    }
  });

  router.post('/admin/sites/:id/staff/:staffId/disable', requireStaffPage('admin'), async (ctx) => {
    const site = await load(ctx);
    const staffId = parse(z.object({ staffId: z.uuid() }), { staffId: ctx.params.staffId }).staffId;
    const member = await findStaffById(deps.db, staffId);
    if (member?.site_id !== site.id) throw new DomainError('not_found', 'No such staff member at this site');
    await disableStaff(cmd, staffActor(ctx.state.staff), staffId);
    ctx.status = 303;
    ctx.redirect(`/admin/sites/${site.id}/staff?disabled=1`);
  });
}
