// The instant sale over JSON: join the queue, read one's place (and, at one's turn, the admission token),
// buy with that token and an idempotency key; the public sale view and the published queue order; room rules.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { purchase } from '../../../commands/instant/purchase.js';
import { joinQueue, type QueueStatus, queueStatus } from '../../../commands/instant/queueStatus.js';
import { roomRules, setRoomRules } from '../../../commands/instant/roomRules.js';
import { queueAudit, queueOrder, saleView } from '../../../commands/instant/saleView.js';
import type { ResidentClaims } from '../../../identity/residentSession.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, type ResidentState, requireResident } from '../../middleware/residentAuth.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { purchaseSchema, queuePageSchema, roomRulesSchema } from './schema.js';

export function joinerOf(c: ResidentClaims) {
  return { identity_id: c.sub, contact_channel: c.cc, contact_enc: c.ce, lang: c.lang };
}

function resident(ctx: Context, deps: AppDeps): ResidentClaims {
  const r = ctx.state.resident as ResidentState;
  if (r.viaCookie && !['GET', 'HEAD'].includes(ctx.method)) checkResidentCsrf(ctx, deps);
  ctx.set('Cache-Control', 'no-store');
  return r.claims;
}

/**
 * The place, with when to look again as Retry-After (whole seconds, rounded up; the body has the milliseconds):
 * a crowd that polls every second on its own swamps the service the opening needs.
 */
function answerPlace(ctx: Context, queue: QueueStatus) {
  if ('poll_after_ms' in queue) ctx.set('Retry-After', String(Math.ceil(queue.poll_after_ms / 1000)));
  ctx.body = { queue };
}

export function instantApiRoutes(router: Router, deps: AppDeps): void {
  const must = requireResident(deps);

  router.post('/api/campaigns/:id/queue', must, async (ctx) => {
    const who = resident(ctx, deps);
    answerPlace(ctx, await joinQueue(deps.instant, parseId(ctx.params.id), joinerOf(who)));
  });

  router.get('/api/campaigns/:id/queue', must, async (ctx) => {
    const who = resident(ctx, deps);
    answerPlace(ctx, await queueStatus(deps.instant, parseId(ctx.params.id), who.sub));
  });

  router.post('/api/campaigns/:id/purchases', must, async (ctx) => {
    const who = resident(ctx, deps);
    const b = parse(purchaseSchema, {
      ...bodyOf(ctx),
      ...(ctx.get('idempotency-key') ? { idempotency_key: ctx.get('idempotency-key') } : {}),
      ...(ctx.get('x-admission-token') ? { admission_token: ctx.get('x-admission-token') } : {}),
    });
    const campaignId = parseId(ctx.params.id);
    const answer = await purchase(deps.instant, who.sub, { campaign_id: campaignId, ...b });
    if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = answer.status;
    ctx.body = { purchase: answer.purchase };
  });

  router.get('/api/campaigns/:id/sale', async (ctx) => {
    ctx.body = { sale: await saleView(deps, parseId(ctx.params.id)) };
  });

  router.get('/api/campaigns/:id/queue/order', async (ctx) => {
    const { after, limit: limitRows } = parse(queuePageSchema, ctx.query);
    const entries = await queueOrder(deps, parseId(ctx.params.id), after, limitRows);
    ctx.body = { entries, next_after: entries.length === limitRows ? entries.at(-1)!.rank : null };
  });

  router.get('/api/campaigns/:id/queue/audit', async (ctx) => {
    ctx.body = { audit: await queueAudit(deps, parseId(ctx.params.id)) };
  });

  router.get('/api/admin/campaigns/:id/instant-room', requireStaff('admin', 'auditor'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await roomRules(deps, parseId(ctx.params.id));
  });

  router.put('/api/admin/campaigns/:id/instant-room', requireStaff('admin'), async (ctx) => {
    const rules = parse(roomRulesSchema, bodyOf(ctx));
    ctx.body = {
      rules: await setRoomRules(deps.instant, staffActor(ctx.state.staff), parseId(ctx.params.id), rules),
    };
  });
}
