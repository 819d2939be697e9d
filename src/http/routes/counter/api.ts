// The counter's JSON API (site staff at their own site; admins at any): check a code, mark it collected (also
// the sync of what a counter recorded offline), refuse at the counter, today's pickups; and the public key
// that counter pages verify claim tokens with.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { claimSigner } from '../../../commands/claimTokens.js';
import { type Collection, collectAtCounter } from '../../../commands/collectAtCounter.js';
import {
  type CounterContext,
  type CounterStaff,
  counterFacts,
  counterSite,
  findClaim,
  loadCounterChecks,
  notCollectableReason,
} from '../../../commands/counterClaim.js';
import { refuseAtCounter } from '../../../commands/refuseAtCounter.js';
import { todaysPickups } from '../../../commands/todaysPickups.js';
import { DomainError } from '../../../domain/errors.js';
import type { AppDeps } from '../../deps.js';
import { requireStaff, type StaffSession } from '../../middleware/staffAuth.js';
import { parse } from '../../validate.js';
import { checkSchema, collectSchema, refuseSchema } from './schema.js';

const SITE_ID = /^[A-Za-z0-9_-]{1,40}$/;

export function parseSiteId(v: string | undefined): string {
  if (!v || !SITE_ID.test(v)) throw new DomainError('not_found', 'No such site');
  return v;
}

export const counterStaff = (s: StaffSession): CounterStaff => ({
  id: s.id,
  role: s.role,
  site_id: s.site_id,
});

export function counterContext(deps: AppDeps): CounterContext {
  return {
    db: deps.db,
    clock: deps.clock,
    secrets: deps.config.secrets,
    publicUrl: deps.config.publicUrl,
    collectClear: deps.collections,
  };
}

export const presentCollection = (c: Collection) => ({ ...c, collected_at: c.collected_at.toISOString() });

/** What the counter shows for a code: the facts, and whether it may be handed over here now (else the error). */
export async function checkCode(ctx: CounterContext, staff: CounterStaff, siteId: string, code: string) {
  const site = await counterSite(ctx.db, staff, siteId);
  const now = ctx.clock.now();
  const { view, checks } = await loadCounterChecks(ctx, await findClaim(ctx, code, now));
  const why = await notCollectableReason(ctx.db, view, site, now);
  if (why) throw why;
  return counterFacts(view, checks);
}

/** A press (or an offline record's sync) at a site, its body as sent: the 201's body (counter/fastPath.ts too). */
export async function pressCollection(
  cmd: CounterContext,
  staff: CounterStaff,
  siteParam: string | undefined,
  raw: unknown,
) {
  const body = parse(collectSchema, raw);
  const offline =
    body.offline_ref && body.handed_over_at
      ? { ref: body.offline_ref, at: new Date(body.handed_over_at) }
      : undefined;
  const c = await collectAtCounter(cmd, staff, parseSiteId(siteParam), body.code, offline);
  return { collection: presentCollection(c) };
}

export function counterApiRoutes(router: Router, deps: AppDeps): void {
  const cmd = counterContext(deps);
  const atCounter = requireStaff('site_staff', 'admin');
  const staffOf = (ctx: Context) => counterStaff(ctx.state.staff as StaffSession);

  router.get('/api/claim-keys.json', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { keys: [(await claimSigner(deps.config.secrets)).publicJwk] };
  });

  router.post('/api/sites/:site_id/collections/check', atCounter, async (ctx) => {
    const { code } = parse(checkSchema, ctx.request.body);
    ctx.body = { award: await checkCode(cmd, staffOf(ctx), parseSiteId(ctx.params.site_id), code) };
  });

  router.post('/api/sites/:site_id/collections', atCounter, async (ctx) => {
    ctx.body = await pressCollection(cmd, staffOf(ctx), ctx.params.site_id, ctx.request.body);
    ctx.status = 201;
  });

  router.post('/api/sites/:site_id/refusals', atCounter, async (ctx) => {
    const body = parse(refuseSchema, ctx.request.body);
    const r = await refuseAtCounter(
      cmd,
      staffOf(ctx),
      parseSiteId(ctx.params.site_id),
      body.code,
      body.reason,
      body.note,
    );
    ctx.status = 201;
    ctx.body = { refusal: { ...r, refused_at: r.refused_at.toISOString() } };
  });

  router.get('/api/sites/:site_id/pickups', atCounter, async (ctx) => {
    ctx.body = await todaysPickups(cmd, staffOf(ctx), parseSiteId(ctx.params.site_id));
  });
}
