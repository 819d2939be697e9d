// The admin's page of an instant sale's waiting room: its rules (how early the pre-queue opens, the admission rate,
// the cap on buyers at once, how long a turn and a hold last, overbooking), read by admins and auditors, changed by
// an admin in a form while nobody can be waiting under them yet (the same command as the JSON API's); the sale
// as it stands (the public sale view: shuffle, turns given, stock sold); and, for a sale limited to regions, its
// places by the region declared at the join.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { roomRules, setRoomRules } from '../../../commands/instant/roomRules.js';
import { saleView } from '../../../commands/instant/saleView.js';
import { formatAmount } from '../../../commands/receipt.js';
import { findCampaign } from '../../../db/repos/campaigns.js';
import type { Campaign } from '../../../domain/campaign.js';
import { DomainError, type FieldErrors } from '../../../domain/errors.js';
import type { Lang, Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { staffActor } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { parseId } from '../../validate.js';
import { formatMoment } from '../campaigns/view.js';
import { ROOM_RULE_BOUNDS, roomRulesSchema } from './schema.js';

const RULES = Object.keys(ROOM_RULE_BOUNDS) as Array<keyof typeof ROOM_RULE_BOUNDS>;
type RuleValues = Record<(typeof RULES)[number], string>;
type RoomRules = z.infer<typeof roomRulesSchema>;

const valuesOf = (r: RoomRules): RuleValues =>
  Object.fromEntries(RULES.map((k) => [k, String(r[k])])) as RuleValues;

const valuesFrom = (body: unknown): RuleValues => {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(RULES.map((k) => [k, typeof b[k] === 'string' ? b[k].trim() : ''])) as RuleValues;
};

/** The rules, or each field out of its range named with the range, in the reader's language. */
function rulesFrom(values: RuleValues, t: Translate): { rules?: RoomRules; errors: FieldErrors } {
  const rangeOf = (name: keyof typeof ROOM_RULE_BOUNDS) => {
    const { min, max } = ROOM_RULE_BOUNDS[name];
    return t('admin.room.range', { min: min.toLocaleString('ko-KR'), max: max.toLocaleString('ko-KR') });
  };
  const parsed = roomRulesSchema.safeParse(values);
  if (parsed.success) return { rules: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const name = issue.path[0] as keyof typeof ROOM_RULE_BOUNDS;
    errors[name] = rangeOf(name);
  }
  return { errors };
}

export function instantAdminPageRoutes(router: Router, deps: AppDeps): void {
  async function load(ctx: Context): Promise<Campaign> {
    const c = await findCampaign(deps.db, parseId(ctx.params.id));
    if (c?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
    return c;
  }

  async function show(
    ctx: Context,
    c: Campaign,
    form: { values?: RuleValues; errors?: FieldErrors; error?: string } = {},
    status = 200,
  ) {
    const t = ctx.state.t as Translate;
    const lang = ctx.state.lang as Lang;
    const room = await roomRules(deps, c.id);
    // a draft's room is not a sale yet: nothing to show of it but the rules
    const sale = await saleView(deps, c.id).catch((err) => {
      if (err instanceof DomainError && err.code === 'not_found') return undefined;
      throw err;
    });
    ctx.set('Cache-Control', 'no-store');
    render(
      ctx,
      'admin-waiting-room',
      {
        title: `${t('admin.room.title')} · ${lang === 'en' ? c.title_en : c.title_ko}`,
        campaign: c,
        campaignTitle: lang === 'en' ? c.title_en : c.title_ko,
        rules: valuesOf(room.rules),
        values: form.values ?? valuesOf(room.rules),
        errors: form.errors ?? {},
        error: form.error ?? (Object.keys(form.errors ?? {}).length ? t('errors.validation_failed') : ''),
        notice: ctx.query.saved ? t('admin.room.saved') : '',
        editable: room.editable,
        canEdit: room.editable && (ctx.state.staff as StaffSession).role === 'admin',
        prequeueOpensAt: formatMoment(new Date(room.prequeue_opens_at), c.time_zone, lang),
        // a sale limited to regions: its places by the region declared at the join
        regionPlaces: room.places_by_region,
        bounds: ROOM_RULE_BOUNDS,
        amount: (n: number) => formatAmount(n, c.unit, lang),
        sale: sale && {
          ...sale,
          shuffledAt: sale.shuffled_at && formatMoment(new Date(sale.shuffled_at), c.time_zone, lang),
        },
      },
      status,
    );
  }

  router.get('/admin/campaigns/:id/waiting-room', requireStaffPage('admin', 'auditor'), async (ctx) => {
    await show(ctx, await load(ctx));
  });

  router.post('/admin/campaigns/:id/waiting-room', requireStaffPage('admin'), async (ctx) => {
    const c = await load(ctx);
    const values = valuesFrom(ctx.request.body);
    const { rules, errors } = rulesFrom(values, ctx.state.t as Translate);
    if (!rules) return show(ctx, c, { values, errors }, statusOf('validation_failed'));
    try {
      await setRoomRules(deps.instant, staffActor(ctx.state.staff), c.id, rules);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === 'not_found') throw err;
      const t = ctx.state.t as Translate;
      // the rules became fixed since the form was shown: someone took a place, or the pre-queue opened
      const error = err.code === 'campaign_not_editable' ? t('admin.room.fixed') : t(`errors.${err.code}`);
      return show(ctx, c, { values, error }, statusOf(err));
    }
    ctx.status = 303;
    ctx.redirect(`/admin/campaigns/${c.id}/waiting-room?saved=1`);
  });
}
