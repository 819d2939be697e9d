// The public audit page (/campaigns/:id/audit, Korean first, ?lang=en) and the admin draw page with the
// beacon form and the missing-beacon banner. The audit page works without JavaScript; with it, the bundle
// and a receipt are verified in the browser by static/verify.js (built from src/domain/draw).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { formatAmount } from '../../../commands/receipt.js';
import { recordBeacon } from '../../../commands/recordBeacon.js';
import { listCampaignSites } from '../../../db/repos/campaignSites.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { findDraw } from '../../../db/repos/draws.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import { type Campaign, groupLabel } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { parse, parseId } from '../../validate.js';
import { slotText } from '../applications/resultView.js';
import { formatMoment } from '../campaigns/view.js';
import { parsePublicId, publicCampaign } from './api.js';
import { beaconSchema } from './schema.js';
import { auditView, type ResultView, resultView } from './view.js';

const PUBLIC_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function pageData(deps: AppDeps, ctx: Context, c: Campaign) {
  const lang = ctx.state.lang as Lang;
  const view = await auditView(deps.db, c);
  return {
    c,
    title: lang === 'ko' ? c.title_ko : c.title_en,
    view,
    rulesJson: view.draw ? JSON.stringify(view.draw.rules, null, 1) : '',
    zone: c.time_zone,
    date: (s: string | null) => (s ? new Date(s) : null),
    /** a priority group as residents read it, not its key (a group since removed: its key) */
    groupName: (name: string) => {
      const g = c.groups.find((x) => x.name === name);
      return g ? groupLabel(g, lang) : name;
    },
  };
}

/** One's own result in the page's language: site names, slot times and status words, not ids and codes. */
async function lookupWords(deps: AppDeps, c: Campaign, r: ResultView, lang: Lang) {
  const zone = c.time_zone;
  const [sites, slots] = await Promise.all([
    listCampaignSites(deps.db, c.id),
    listCampaignSlots(deps.db, c.id),
  ]);
  const place = (siteId: string | null | undefined, slotId: string | null | undefined) => {
    const site = sites.find((s) => s.id === siteId);
    const slot = slots.find((s) => s.id === slotId);
    return {
      site: site ? (lang === 'en' ? site.name_en : site.name_ko) : '',
      slot: slot ? slotText(slot.starts_at, slot.ends_at, zone, lang) : '',
    };
  };
  return {
    ...r,
    amountText: formatAmount(r.amount, c.unit, lang),
    place: place(r.site, r.slot),
    ...(r.promoted
      ? {
          promotedText: {
            amount: formatAmount(r.promoted.amount, c.unit, lang),
            ...place(r.promoted.site, r.promoted.slot),
          },
        }
      : {}),
    deadline: r.claim_deadline ? formatMoment(new Date(r.claim_deadline), zone, lang) : '',
  };
}

/** When the draw will run now that its beacon is in: at its draw time, or, that passed, at the scheduler's next pass. */
function beaconSaved(ctx: Context, c: Campaign, now: Date): string {
  const t = ctx.state.t as Translate;
  return c.draw_at.getTime() <= now.getTime()
    ? t('draw.beacon_saved_due')
    : t('draw.beacon_saved', { draw_at: formatMoment(c.draw_at, c.time_zone, ctx.state.lang as Lang) });
}

export function drawPageRoutes(router: Router, deps: AppDeps): void {
  router.get('/campaigns/:id/audit', async (ctx) => {
    const c = await publicCampaign(deps, ctx.params.id);
    const data = await pageData(deps, ctx, c);
    const q = typeof ctx.query.public_id === 'string' ? ctx.query.public_id.trim() : '';
    const found = q && PUBLIC_ID.test(q) ? await resultView(deps.db, c.id, parsePublicId(q)) : undefined;
    const lookup = q
      ? {
          public_id: q,
          result: found ? await lookupWords(deps, c, found, ctx.state.lang as Lang) : undefined,
        }
      : undefined;
    render(ctx, 'draw-audit', {
      ...data,
      pageTitle: `${(ctx.state.t as Translate)('draw.audit_title')} · ${data.title}`,
      lookup,
      scripts: ['verify.js'],
    });
  });

  async function showAdmin(ctx: Context, c: Campaign, extra: Record<string, unknown> = {}, status = 200) {
    const d = await findDraw(deps.db, c.id);
    const now = deps.clock.now();
    render(
      ctx,
      'admin-draw',
      {
        ...(await pageData(deps, ctx, c)),
        beaconMissing: c.state === 'closed' && !d?.beacon && c.draw_at.getTime() <= now.getTime(),
        canRecord: c.state === 'closed' && !d?.beacon && (ctx.state.staff as StaffSession).role === 'admin',
        notice: ctx.query.saved ? beaconSaved(ctx, c, now) : '',
        error: '',
        ...extra,
      },
      status,
    );
  }

  router.get('/admin/campaigns/:id/draw', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    await showAdmin(ctx, c);
  });

  router.post('/admin/campaigns/:id/draw/beacon', requireStaffPage('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    try {
      const { beacon } = parse(beaconSchema, ctx.request.body);
      await recordBeacon(deps.notices, staffActor(ctx.state.staff), id, beacon);
    } catch (err) {
      const c = await findCampaign(deps.db, id);
      if (!(err instanceof DomainError) || !c) throw err;
      const t = ctx.state.t as Translate;
      const message =
        err.code === 'validation_failed' ? (err.fields?.beacon ?? err.message) : t(`errors.${err.code}`);
      await showAdmin(ctx, c, { error: message }, statusOf(err));
      return;
    }
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${id}/draw?saved=1`);
  });
}
