// Admin views of who counts as one person: a campaign's priority groups with their restricted lists (CSV import,
// keyed on import), and identities found to be one person with two applications (flags). JSON twins for scripts.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { importGroupList } from '../../../commands/importGroupList.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { countGroupMembers } from '../../../db/repos/groupMembers.js';
import { listIdentityFlags } from '../../../db/repos/identityKeys.js';
import { groupLabel, groupProof } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { pageText, problemsOfError } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { csvBodySchema } from '../sites/schema.js';

/** The pasted list from the page's form (a JSON body may carry anything; only text is a list). */
const csvOf = (body: Record<string, unknown>) => (typeof body.csv === 'string' ? body.csv : '');

export function identityAdminRoutes(router: Router, deps: AppDeps): void {
  const oidcIssuer = () => deps.identity.oidc?.settings.issuer;

  async function groupsPage(ctx: Context, extra: Record<string, unknown> = {}, status = 200) {
    const campaign = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!campaign) throw new DomainError('not_found', 'No such campaign');
    const lang = ctx.state.lang as Lang;
    const counts = await countGroupMembers(deps.db, campaign.id);
    const groups = campaign.groups.map((g) => ({
      name: g.name,
      label: groupLabel(g, lang),
      check: g.check ?? 'declared',
      proof: groupProof(g, lang),
      minAge: g.min_age,
      members: counts[g.name] ?? 0,
    }));
    render(
      ctx,
      'admin-groups',
      {
        campaign,
        campaignTitle: lang === 'en' ? campaign.title_en : campaign.title_ko,
        groups,
        isAdmin: ctx.state.staff.role === 'admin',
        imported: ctx.query.imported ? { group: ctx.query.imported, members: ctx.query.members } : undefined,
        errors: {},
        values: {},
        ...extra,
      },
      status,
    );
  }

  router.get('/admin/campaigns/:id/groups', requireStaffPage('admin', 'auditor'), (ctx) => groupsPage(ctx));

  router.post('/admin/campaigns/:id/groups/:group/list', requireStaffPage('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const csv = csvOf(bodyOf(ctx));
    try {
      const done = await importGroupList(deps.intake, staffActor(ctx.state.staff), {
        campaign_id: id,
        group: String(ctx.params.group),
        csv,
        oidc_issuer: oidcIssuer(),
      });
      ctx.status = 303;
      ctx.redirect(
        `/admin/campaigns/${id}/groups?imported=${encodeURIComponent(done.group)}&members=${done.members}`,
      );
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      const t = ctx.state.t as Translate;
      const text = pageText(t, ctx.state.lang as Lang);
      // in the page's language; a fault csv-parse placed on a line says which, as the CSV import pages do
      const message = problemsOfError(err)
        .map((p) => {
          const line = p.params?.line;
          return line === undefined ? text(p) : `${t('admin.import.line', { line })}: ${text(p)}`;
        })
        .join(' ');
      await groupsPage(
        ctx,
        {
          errors: { [String(ctx.params.group)]: message },
          values: { [String(ctx.params.group)]: csv },
          summary: t('errors.validation_failed'),
        },
        statusOf(err),
      );
    }
  });

  router.post('/api/admin/campaigns/:id/groups/:group/list', requireStaff('admin'), async (ctx) => {
    ctx.body = await importGroupList(deps.intake, staffActor(ctx.state.staff), {
      campaign_id: parseId(ctx.params.id),
      group: String(ctx.params.group),
      csv: parse(csvBodySchema, bodyOf(ctx)).csv,
      oidc_issuer: oidcIssuer(),
    });
  });

  router.get('/admin/identities/flags', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const lang = ctx.state.lang as Lang;
    const flags = (await listIdentityFlags(deps.db)).map((f) => ({
      ...f,
      campaignTitle: lang === 'en' ? f.campaign_title_en : f.campaign_title_ko,
    }));
    render(ctx, 'admin-identity-flags', { flags });
  });

  router.get('/api/admin/identity-flags', requireStaff('admin', 'auditor'), async (ctx) => {
    const flags = await listIdentityFlags(deps.db);
    ctx.body = {
      flags: flags.map((f) => ({
        id: f.id,
        campaign_id: f.campaign_id,
        campaign_code: f.campaign_code,
        reason: f.reason,
        kept: { public_id: f.kept_public_id, status: f.kept_status },
        other: { public_id: f.other_public_id, status: f.other_status },
        created_at: f.created_at.toISOString(),
      })),
    };
  });
}
