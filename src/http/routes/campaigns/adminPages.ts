// Admin campaign pages: the overview, the create/edit form, a campaign's detail with its audit trail,
// and the schedule / unschedule / cancel buttons. Each route authenticates, validates, calls the same
// command the JSON API calls, and renders. Auditors may look; only admins change anything.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { changeCampaignState, type ManualChange } from '../../../commands/changeCampaignState.js';
import { beaconSourceFor } from '../../../commands/drawRules.js';
import { createCampaign, updateCampaign } from '../../../commands/saveCampaign.js';
import { saveCampaignContact } from '../../../commands/saveCampaignContact.js';
import {
  countActiveApplicationsByCampaign,
  countLivePurchasesBySale,
} from '../../../db/repos/adminOverview.js';
import { listAuditRows } from '../../../db/repos/audit.js';
import { countCampaignsByState, findCampaign, listCampaigns } from '../../../db/repos/campaigns.js';
import { findDraw, listBeaconMissing } from '../../../db/repos/draws.js';
import { listSites } from '../../../db/repos/sites.js';
import { listCampaignSlots } from '../../../db/repos/slots.js';
import {
  CAMPAIGN_STATES,
  CANCEL_MESSAGE_MAX,
  type Campaign,
  hasDraw,
  isEditable,
} from '../../../domain/campaign.js';
import { CONTACT_FIELDS } from '../../../domain/contact.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { fieldMessages, problemsOfError } from '../../problems.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { actorViews } from '../audit/actors.js';
import {
  bodyFromForm,
  type CampaignFormValues,
  formErrors,
  formValuesFrom,
  formValuesOf,
  GROUP_COLUMNS,
  groupRowCount,
  NEW_CAMPAIGN_VALUES,
} from './form.js';
import { campaignRotationWarning, formRotationWarning } from './rotationWarning.js';
import {
  cancelFormSchema,
  parseCampaignBody,
  parseContactBody,
  reasonSchema,
  versionSchema,
} from './schema.js';
import { campaignView, formatMoment, formatPlain, stateWords } from './view.js';

const CHANGES = ['schedule', 'unschedule', 'cancel'] as const satisfies ManualChange[];

/** Which buttons make sense in each state (the command still checks). */
const CHANGES_FROM: Record<ManualChange, readonly string[]> = {
  schedule: ['draft'],
  unschedule: ['scheduled'],
  cancel: ['draft', 'scheduled', 'open', 'closed'],
};

/** The cancel form shown again after a refusal: what was typed, and each field's fault. */
interface CancelForm {
  values: { reason: string; message_ko: string; message_en: string };
  errors: Record<string, string>;
}

/** The contact box shown again after a refusal, open: what was typed, and each field's faults in the page's words. */
interface ContactForm {
  values: Record<string, string>;
  errors: FieldErrors;
}

/** The contact's fields as the box shows them: what is stored, blank for none. */
const contactValuesOf = (c: Campaign): Record<string, string> =>
  Object.fromEntries(CONTACT_FIELDS.map((f) => [f, c[f] ?? '']));

const langOf = (ctx: Context) => ctx.state.lang as Lang;
const tOf = (ctx: Context) => ctx.state.t as Translate;
const isAdmin = (ctx: Context) => (ctx.state.staff as StaffSession).role === 'admin';

/** A domain error as words for the page: the catalogue's sentence for its code (every code has one, in both
 * languages: test/http/status-mapping.test.ts). */
function messageOf(ctx: Context, err: DomainError): string {
  return tOf(ctx)(`errors.${err.code}`);
}

export function adminCampaignPageRoutes(router: Router, deps: AppDeps): void {
  const cmd = { db: deps.db, clock: deps.clock };

  /** The service's beacon sentence: for a campaign as its opening would commit it, else with its closing time named. */
  const defaultBeacon = (ctx: Context, c?: Campaign) =>
    c
      ? beaconSourceFor({ beacon_source: null, closes_at: c.closes_at }, deps.config.BEACON_SOURCE)
      : deps.config.BEACON_SOURCE.replaceAll('{closes_at}', tOf(ctx)('admin.beacon_closes_at'));

  /**
   * The beacon a drawn campaign names: once opened, the sentence committed with the seed (what the draw uses, and
   * all it can use); before, the campaign's own or the default, as the opening would commit it. A sale has none.
   */
  async function beaconOf(c: Campaign) {
    if (!hasDraw(c.mode)) return undefined;
    const draw = await findDraw(deps.db, c.id);
    if (draw) return { sentence: draw.beacon_source, how: 'committed' };
    if (c.beacon_source) return { sentence: c.beacon_source, how: 'own' };
    return {
      sentence: beaconSourceFor({ beacon_source: null, closes_at: c.closes_at }, deps.config.BEACON_SOURCE),
      how: 'default',
    };
  }

  router.get('/admin', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const lang = langOf(ctx);
    const [campaigns, byState, applications, purchases, beaconMissing] = await Promise.all([
      listCampaigns(deps.db),
      countCampaignsByState(deps.db),
      countActiveApplicationsByCampaign(deps.db),
      countLivePurchasesBySale(deps.db),
      listBeaconMissing(deps.db),
    ]);
    const counts = new Map(byState.map((r) => [r.state, Number(r.count)]));
    render(ctx, 'admin-campaigns', {
      title: tOf(ctx)('admin.campaigns_title'),
      isAdmin: isAdmin(ctx),
      stateCounts: CAMPAIGN_STATES.map((s) => ({ state: s, count: counts.get(s) ?? 0 })),
      // the first page an admin sees names every draw held up by a missing beacon
      beaconMissing: beaconMissing.map((b) => b.id),
      campaigns: campaigns.map((c) => ({
        id: c.id,
        code: c.code,
        title: lang === 'en' ? c.title_en : c.title_ko,
        state: c.state,
        stateText: stateWords(tOf(ctx), c),
        kind: c.kind,
        mode: c.mode,
        opens: formatPlain(c.opens_at, c.time_zone, lang),
        closes: formatMoment(c.closes_at, c.time_zone, lang),
        // a sale takes no applications: its column counts purchases
        applicationsOrPurchases: (c.mode === 'instant' ? purchases : applications).get(c.id) ?? 0,
      })),
    });
  });

  async function showForm(
    ctx: Context,
    opts: { campaign?: Campaign; values: CampaignFormValues; errors?: FieldErrors; summary?: string },
    status = 200,
  ) {
    const sites = await listSites(deps.db);
    render(
      ctx,
      'admin-campaign-form',
      {
        title: opts.campaign ? tOf(ctx)('admin.edit_title') : tOf(ctx)('admin.new_title'),
        campaign: opts.campaign,
        action: opts.campaign ? `/admin/campaigns/${opts.campaign.id}/edit` : '/admin/campaigns/new',
        values: opts.values,
        errors: opts.errors ?? {},
        summary: opts.summary ?? '',
        sites,
        groupColumns: GROUP_COLUMNS,
        groupRows: groupRowCount(opts.values),
        beaconDefault: defaultBeacon(ctx, opts.campaign),
        // the birth-year weekday rule against the window as typed: who it leaves without a day, or short of one
        rotationWarning: formRotationWarning(opts.values, tOf(ctx), langOf(ctx)),
      },
      status,
    );
  }

  /** Runs the save; on a validation problem shows the form again with every error and the values kept. */
  async function submit(ctx: Context, campaign: Campaign | undefined) {
    const values = formValuesFrom(bodyOf(ctx));
    const slots = campaign ? await listCampaignSlots(deps.db, campaign.id) : [];
    const { body, lineOf } = bodyFromForm(values, slots);
    try {
      const input = parseCampaignBody(body);
      const actor = staffActor(ctx.state.staff);
      const saved = campaign
        ? await updateCampaign(cmd, actor, campaign.id, parse(versionSchema, values).version, input)
        : await createCampaign(cmd, actor, input);
      ctx.status = 303;
      ctx.redirect(`/admin/campaigns/${saved.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (!['validation_failed', 'duplicate_code', 'conflict', 'campaign_not_editable'].includes(err.code))
        throw err;
      await showForm(
        ctx,
        {
          ...(campaign ? { campaign } : {}),
          values,
          errors: formErrors(problemsOfError(err), tOf(ctx), langOf(ctx), lineOf),
          summary: messageOf(ctx, err),
        },
        statusOf(err),
      );
    }
  }

  router.get('/admin/campaigns/new', requireStaffPage('admin'), async (ctx) => {
    await showForm(ctx, { values: { ...NEW_CAMPAIGN_VALUES } });
  });

  router.post('/admin/campaigns/new', requireStaffPage('admin'), async (ctx) => {
    await submit(ctx, undefined);
  });

  async function load(ctx: Context): Promise<Campaign> {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (!c) throw new DomainError('not_found', 'No such campaign');
    return c;
  }

  router.get('/admin/campaigns/:id/edit', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    if (!isEditable(c.state))
      throw new DomainError('campaign_not_editable', `A campaign that is ${c.state} can no longer be edited`);
    await showForm(ctx, { campaign: c, values: formValuesOf(c) });
  });

  router.post('/admin/campaigns/:id/edit', requireStaffPage('admin'), async (ctx) => {
    await submit(ctx, await load(ctx));
  });

  async function showDetail(
    ctx: Context,
    c: Campaign,
    extra: { notice?: string; error?: string; cancelForm?: CancelForm; contactForm?: ContactForm } = {},
    status = 200,
  ) {
    const lang = langOf(ctx);
    const t = tOf(ctx);
    const [slots, sites, audit, beacon] = await Promise.all([
      listCampaignSlots(deps.db, c.id),
      listSites(deps.db),
      listAuditRows(deps.db, { subject: `campaign:${c.id}` }),
      beaconOf(c),
    ]);
    audit.reverse();
    const actors = await actorViews(
      deps.db,
      audit.map((r) => r.actor),
      t,
    );
    render(
      ctx,
      'admin-campaign',
      {
        title: lang === 'en' ? c.title_en : c.title_ko,
        campaign: campaignView(c, { now: deps.clock.now(), t, lang, slots, sites }),
        raw: c,
        rotationWarning: campaignRotationWarning(c, t, lang),
        isAdmin: isAdmin(ctx),
        editable: isEditable(c.state),
        changes: CHANGES.filter((ch) => CHANGES_FROM[ch].includes(c.state)),
        audit: audit.map((r, i) => ({
          seq: r.seq,
          at: formatMoment(r.at, c.time_zone, lang),
          actor: actors[i]!,
          action: r.action,
          data: JSON.stringify(r.data),
        })),
        notice: extra.notice ?? '',
        error: extra.error ?? '',
        cancelForm: {
          open: Boolean(extra.cancelForm),
          values: extra.cancelForm?.values ?? { reason: '', message_ko: '', message_en: '' },
          errors: extra.cancelForm?.errors ?? {},
        },
        cancelMessageMax: CANCEL_MESSAGE_MAX,
        beacon,
        contactForm: {
          open: Boolean(extra.contactForm),
          values: extra.contactForm?.values ?? contactValuesOf(c),
          errors: extra.contactForm?.errors ?? {},
        },
      },
      status,
    );
  }

  router.get('/admin/campaigns/:id', requireStaffPage('admin', 'auditor'), async (ctx) => {
    const c = await load(ctx);
    const done = typeof ctx.query.done === 'string' && [...CHANGES, 'contact'].includes(ctx.query.done);
    const notice = ctx.query.saved
      ? tOf(ctx)('admin.saved')
      : done
        ? tOf(ctx)(`admin.done_${ctx.query.done}`)
        : '';
    await showDetail(ctx, c, { notice });
  });

  // whom residents ask: its own box on the overview, in any state (the edit form has it too while editable)
  router.post('/admin/campaigns/:id/contact', requireStaffPage('admin'), async (ctx) => {
    const id = parseId(ctx.params.id);
    const body = bodyOf(ctx);
    try {
      await saveCampaignContact(cmd, staffActor(ctx.state.staff), id, parseContactBody(body));
      ctx.status = 303;
      ctx.redirect(`/admin/campaigns/${id}?done=contact`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      const values = Object.fromEntries(
        CONTACT_FIELDS.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']),
      );
      const errors = fieldMessages(err, tOf(ctx), langOf(ctx));
      await showDetail(
        ctx,
        await load(ctx),
        { error: messageOf(ctx, err), contactForm: { values, errors } },
        statusOf(err),
      );
    }
  });

  for (const change of CHANGES) {
    router.post(`/admin/campaigns/:id/${change}`, requireStaffPage('admin'), async (ctx) => {
      const id = parseId(ctx.params.id);
      const body = bodyOf(ctx);
      const given = {
        reason: body.reason ?? '',
        message_ko: body.message_ko ?? '',
        message_en: body.message_en ?? '',
      };
      // what was typed, to show the form again: the schema judges the fields as sent (a repeated one is refused)
      const typed = Object.fromEntries(
        Object.entries(given).map(([f, v]) => [f, typeof v === 'string' ? v : '']),
      ) as CancelForm['values'];
      try {
        const note =
          change === 'cancel'
            ? parse(cancelFormSchema, { ...given, confirm: body.confirm })
            : parse(reasonSchema, { reason: given.reason });
        await changeCampaignState(cmd, staffActor(ctx.state.staff), id, change, note);
        ctx.status = 303;
        ctx.redirect(`/admin/campaigns/${id}?done=${change}`);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
        const c = await load(ctx);
        const faults = problemsOfError(err);
        if (change === 'cancel' && faults.length > 0) {
          // the cancel form again, open, with what was typed and each field's fault in the page's language
          const t = tOf(ctx);
          const errors = Object.fromEntries(
            faults.map(({ field: f }) => [f, t(`admin.cancel_error_${f}`, { max: CANCEL_MESSAGE_MAX })]),
          );
          await showDetail(
            ctx,
            c,
            { error: messageOf(ctx, err), cancelForm: { values: typed, errors } },
            statusOf(err),
          );
          return;
        }
        const fields = Object.values(fieldMessages(err, tOf(ctx), langOf(ctx)));
        await showDetail(ctx, c, { error: [messageOf(ctx, err), ...fields].join(' ') }, statusOf(err));
      }
    });
  }
}
