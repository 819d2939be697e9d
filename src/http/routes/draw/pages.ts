// The public audit page (/campaigns/:id/audit, Korean first, ?lang=en) and the admin draw page with the
// beacon form and the missing-beacon banner. The audit page works without JavaScript; with it, the bundle
// and a receipt are verified in the browser by static/verify.js (built from src/domain/draw).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { formatAmount } from '../../../commands/receipt.js';
import { type BeaconToRecord, previewBeacon, recordBeacon } from '../../../commands/recordBeacon.js';
import { listCampaignSites } from '../../../db/repos/campaignSites.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import { findDraw } from '../../../db/repos/draws.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import { BEACON_MAX_LENGTH, beaconFormatOf, momentsIn } from '../../../domain/beacon.js';
import { type Campaign, groupLabel } from '../../../domain/campaign.js';
import { DomainError } from '../../../domain/errors.js';
import { siteWords } from '../../../domain/site.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import { when } from '../../../i18n/when.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { fieldMessages } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { slotText } from '../applications/resultView.js';
import { formatMoment, zoneWords } from '../campaigns/view.js';
import { parsePublicId, publicCampaign } from './api.js';
import { beaconFormSchema } from './schema.js';
import { auditView, type ResultView, resultView } from './view.js';

const PUBLIC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The admin's beacon form as the page shows it. */
interface BeaconForm {
  /** the refusal, in the page's words */
  error: string;
  /** the beacon field's own fault, when the refusal is one */
  fieldError: string;
  /** what was typed, shown again */
  typed: string;
  /** the first step passed: what confirming would record */
  confirm?: BeaconToRecord;
}

/**
 * The beacon's source sentence beside words of the page's: it is part of the seed commitment, so it is shown byte
 * for byte as published (English, a moment in UTC, with the default BEACON_SOURCE), with what kind of value it names,
 * each moment it names in the campaign's zone (named in words, as the campaign page does), and (in another language than the page's) why it is left as it is.
 */
export function beaconSourceView(source: string, zone: string, t: Translate, lang: Lang) {
  const format = beaconFormatOf(source);
  const written: Lang = /\p{Script=Hangul}/u.test(source) ? 'ko' : 'en';
  return {
    format,
    /** the sentence's own language, for its lang attribute */
    lang: written,
    notes: [
      ...(format === 'text' ? [] : [t(`draw.source_${format}`)]),
      ...momentsIn(source).map((m) =>
        t('draw.source_moment', {
          iso: m.text,
          zone: zoneWords(zone, m.at, t, lang),
          local: when(m.at, zone, lang),
        }),
      ),
      ...(written === lang ? [] : [t('draw.source_as_published')]),
    ],
    /** how to write a value for it, on the admin's form */
    hint: t(`draw.beacon_hint_${format}`),
  };
}

async function pageData(deps: AppDeps, ctx: Context, c: Campaign) {
  const lang = ctx.state.lang as Lang;
  const view = await auditView(deps.db, c);
  const source = view.draw?.beacon_source;
  return {
    c,
    title: lang === 'ko' ? c.title_ko : c.title_en,
    view,
    beaconSource: source ? beaconSourceView(source, c.time_zone, ctx.state.t as Translate, lang) : undefined,
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
      site: site ? siteWords(site, lang).name : '',
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

  /** The draw page; the beacon form as typed (a "change it" link brings the value back in `?beacon=`), its field's
   * fault, or the value it would record, to confirm. */
  async function showAdmin(ctx: Context, c: Campaign, extra: Partial<BeaconForm> = {}, status = 200) {
    const d = await findDraw(deps.db, c.id);
    const now = deps.clock.now();
    const query = typeof ctx.query.beacon === 'string' ? ctx.query.beacon.slice(0, BEACON_MAX_LENGTH) : '';
    const form: BeaconForm = { error: '', fieldError: '', typed: query, ...extra };
    render(
      ctx,
      'admin-draw',
      {
        ...(await pageData(deps, ctx, c)),
        beaconMissing: c.state === 'closed' && !d?.beacon && c.draw_at.getTime() <= now.getTime(),
        canRecord: c.state === 'closed' && !d?.beacon && (ctx.state.staff as StaffSession).role === 'admin',
        notice: ctx.query.saved ? beaconSaved(ctx, c, now) : '',
        ...form,
      },
      status,
    );
  }

  router.get('/admin/campaigns/:id/draw', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    await showAdmin(ctx, c);
  });

  // Two steps, no script: the first submit records nothing and shows the value as it would be recorded, with what
  // recording it means; only the confirm (carrying that value) records it. A beacon is recorded once, for good.
  router.post('/admin/campaigns/:id/draw/beacon', requireStaffPage('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const body = bodyOf(ctx);
    const typed = typeof body.beacon === 'string' ? body.beacon : '';
    try {
      const { beacon, confirm } = parse(beaconFormSchema, body);
      if (confirm !== 'yes') {
        const toRecord = await previewBeacon(deps.db, id, beacon);
        const c = await findCampaign(deps.db, id);
        if (!c) throw new DomainError('not_found', 'No such campaign');
        await showAdmin(ctx, c, { typed, confirm: toRecord });
        return;
      }
      await recordBeacon(deps.notices, staffActor(ctx.state.staff), id, beacon);
    } catch (err) {
      const c = await findCampaign(deps.db, id);
      if (!(err instanceof DomainError) || !c) throw err;
      const t = ctx.state.t as Translate;
      const fieldError = fieldMessages(err, t, ctx.state.lang as Lang).beacon ?? '';
      await showAdmin(ctx, c, { error: t(`errors.${err.code}`), fieldError, typed }, statusOf(err));
      return;
    }
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${id}/draw?saved=1`);
  });
}
