// /counter: the page site staff land on. Works without JavaScript (check, then collect or refuse, each a form
// post); with static/counter.js the same happens in place through the JSON API, QR codes can be scanned with
// the camera, and a dropped connection is survived (claim tokens verified offline, collections queued and
// synced). /counter-sw.js keeps the page and its script available offline.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { claimSigner } from '../../../commands/claimTokens.js';
import { collectAtCounter } from '../../../commands/collectAtCounter.js';
import { counterSite } from '../../../commands/counterClaim.js';
import { REFUSAL_REASONS, type RefusalReason, refuseAtCounter } from '../../../commands/refuseAtCounter.js';
import { todaysPickups } from '../../../commands/todaysPickups.js';
import { COUNTER_ERROR_CODES, DomainError } from '../../../domain/errors.js';
import type { Translate } from '../../../i18n/catalogue.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import type { StaffSession } from '../../middleware/staffAuth.js';
import { requireStaffPage } from '../../middleware/staffPages.js';
import { render } from '../../render.js';
import { bodyOf } from '../../validate.js';
import { sendStaticFile } from '../static/files.js';
import { checkCode, counterContext, counterStaff, parseSiteId } from './api.js';

type Result = {
  error?: DomainError;
  award?: unknown;
  done?: string;
  code?: string;
  /** a refusal asked for and not yet confirmed: the award it would release and the reason chosen */
  confirmRefuse?: { award: unknown; reason: RefusalReason };
};

export function counterPageRoutes(router: Router, deps: AppDeps): void {
  const cmd = counterContext(deps);
  const guard = requireStaffPage('site_staff', 'admin');

  function siteOf(ctx: Context): string {
    const staff = ctx.state.staff as StaffSession;
    const asked = typeof ctx.query.site === 'string' ? ctx.query.site : '';
    if (staff.role === 'site_staff') return staff.site_id!;
    if (!asked) throw new DomainError('not_found', 'Choose a site: /counter?site=<site id>');
    return parseSiteId(asked);
  }

  async function show(ctx: Context, result: Result = {}, status = 200) {
    const staff = counterStaff(ctx.state.staff as StaffSession);
    const siteId = siteOf(ctx);
    const site = await counterSite(deps.db, staff, siteId);
    const pickups = await todaysPickups(cmd, staff, siteId);
    const t = ctx.state.t as Translate;
    const config = {
      site: site.id,
      grace_minutes: site.pickup_grace_minutes,
      csrf: ctx.state.csrfToken,
      lang: ctx.state.lang,
      zone: pickups.campaigns[0]?.time_zone ?? 'Asia/Seoul',
      // what an offline check shows of a token's campaign (online, the check's answer carries it)
      campaigns: Object.fromEntries(
        pickups.campaigns.map((c) => [
          c.id,
          { title_ko: c.title_ko, title_en: c.title_en, code: c.code, time_zone: c.time_zone },
        ]),
      ),
      keys: [(await claimSigner(deps.config.secrets)).publicJwk],
      strings: Object.fromEntries(
        [
          'online',
          'offline',
          'check',
          'collect',
          'refuse',
          'refuse_confirm_title',
          'refuse_confirm_body',
          'refuse_yes',
          'refuse_back',
          'hand_over',
          'amount',
          'slot',
          'deadline',
          'public_id',
          'status',
          'campaign',
          'checks',
          'check_birth',
          'check_birth_ok',
          'check_group',
          'check_group_ok',
          'no_checks',
          'collected_ok',
          'refused_ok',
          'offline_checked',
          'offline_saved',
          'offline_short_code',
          'offline_already',
          'offline_refuse',
          'queue',
          'synced',
          'conflict',
          'any_time',
          'scan_unsupported',
          'scan_reader_failed',
          'refuse_reason',
          'reason_id_mismatch',
          'reason_no_group_proof',
          'reason_no_id',
          'reason_other',
          'unit_item',
          'unit_item_one',
          'unit_krw',
          'slot_counts',
          'status_won',
          'status_promoted',
          'status_collected',
          'status_expired',
          'status_refused',
        ].map((k) => [k, t(`counter.${k}`)]),
      ),
      errors: Object.fromEntries(
        [...COUNTER_ERROR_CODES, 'validation_failed', 'forbidden'].map((k) => [k, t(`errors.${k}`)]),
      ),
    };
    const error = result.error
      ? { code: result.error.code, message: result.error.message, details: result.error.details }
      : undefined;
    render(
      ctx,
      'counter',
      {
        site,
        pickups,
        result: { ...result, error },
        // JSON inside a script element: "<" escaped so that no "</script>" can end it.
        configJson: JSON.stringify(config).replace(/</g, '\\u003c'),
      },
      status,
    );
  }

  /** Runs a counter action from a form; a domain refusal is shown on the page instead of an error page. */
  async function act(ctx: Context, run: (code: string) => Promise<Result>) {
    const code = String(bodyOf(ctx).code ?? '').trim();
    try {
      if (!code) throw new DomainError('claim_code_unknown', 'Enter a claim code');
      await show(ctx, { ...(await run(code)), code });
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === 'forbidden' || err.code === 'csrf_failed') throw err;
      await show(ctx, { error: err, code }, statusOf(err));
    }
  }

  router.get('/counter', guard, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    await show(ctx);
  });

  router.post('/counter/check', guard, (ctx) =>
    act(ctx, async (code) => ({
      award: await checkCode(cmd, counterStaff(ctx.state.staff), siteOf(ctx), code),
    })),
  );

  router.post('/counter/collect', guard, (ctx) =>
    act(ctx, async (code) => {
      const c = await collectAtCounter(cmd, counterStaff(ctx.state.staff), siteOf(ctx), code);
      return { done: (ctx.state.t as Translate)('counter.collected_ok', { id: c.public_id }) };
    }),
  );

  // A refusal releases the award for good, so the first press only asks (naming the award and the reason, with
  // the award checked again); the refusal is made by the second form, which says confirm=yes.
  router.post('/counter/refuse', guard, (ctx) =>
    act(ctx, async (code) => {
      const body = bodyOf(ctx);
      const asked = String(body.reason ?? '');
      const reason: RefusalReason = (REFUSAL_REASONS as readonly string[]).includes(asked)
        ? (asked as RefusalReason)
        : 'other';
      if (body.confirm !== 'yes') {
        const award = await checkCode(cmd, counterStaff(ctx.state.staff), siteOf(ctx), code);
        return { confirmRefuse: { award, reason } };
      }
      const r = await refuseAtCounter(cmd, counterStaff(ctx.state.staff), siteOf(ctx), code, reason);
      return { done: (ctx.state.t as Translate)('counter.refused_ok', { id: r.public_id }) };
    }),
  );

  // The service worker lives at the root so that its scope can cover /counter.
  router.get('/counter-sw.js', (ctx) => sendStaticFile(ctx, 'counter-sw.js', 'no-cache'));
}
