// The instant sale over JSON: join the queue, read one's place (and, at one's turn, the admission token),
// buy with that token and an idempotency key; the public sale view and the published queue order; room rules.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { purchase } from '../../../commands/instant/purchase.js';
import {
  type Joiner,
  joinQueue,
  type QueueStatus,
  queueStatus,
} from '../../../commands/instant/queueStatus.js';
import { roomRules, setRoomRules } from '../../../commands/instant/roomRules.js';
import {
  type PurchaseView,
  purchaseView,
  queueAudit,
  queueOrder,
  saleView,
} from '../../../commands/instant/saleView.js';
import type { ResidentClaims } from '../../../identity/residentSession.js';
import type { AppDeps } from '../../deps.js';
import { checkResidentCsrf, type ResidentState, requireResident } from '../../middleware/residentAuth.js';
import { requireStaff, staffActor } from '../../middleware/staffAuth.js';
import { retryAfterSeconds } from '../../retryAfter.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import type { FastAnswer } from '../residentFastPath.js';
import { joinSchema, purchaseSchema, queuePageSchema, roomRulesSchema } from './schema.js';

/** The joiner as the session says they are, with the region declared in the join's body (joinSchema). */
export function joinerOf(c: ResidentClaims, body: unknown): Joiner {
  const { region } = parse(joinSchema, body ?? {});
  return {
    identity_id: c.sub,
    method: c.m,
    birth_date: c.bd,
    region,
    contact_channel: c.cc,
    contact_enc: c.ce,
    lang: c.lang,
  };
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
function placeAnswer(queue: QueueStatus, purchase: PurchaseView | undefined): FastAnswer {
  const headers: Record<string, string> =
    'poll_after_ms' in queue ? { 'Retry-After': retryAfterSeconds(queue.poll_after_ms) } : {};
  return { status: 200, body: purchase ? { queue, purchase } : { queue }, headers };
}

/**
 * A purchased place's purchase, as its page shows it: the payment's state and, once issued, the vouchers. Only a
 * purchased place reads it; a waiting one, the look a crowd repeats, reads nothing more.
 */
async function purchaseOfPlace(deps: AppDeps, who: ResidentClaims, campaignId: string, queue: QueueStatus) {
  if (queue.state !== 'purchased') return undefined;
  const { campaign } = await deps.intake.rules.byId(deps.db, campaignId);
  return purchaseView(deps, campaign, who.sub);
}

/** The longest a look is held (`Prefer: wait=N`, RFC 7240): under the 30-60 s at which proxies and clients give up. */
export const MAX_LOOK_WAIT_S = 25;

/** `Prefer: wait=N` (RFC 7240) in seconds, at most MAX_LOOK_WAIT_S; undefined when absent or not a number. */
function preferredWait(prefer: string | undefined): number | undefined {
  const m = /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?\s*(?:$|[,;])/i.exec(prefer ?? '');
  return m ? Math.min(Number(m[1]), MAX_LOOK_WAIT_S) : undefined;
}

/**
 * A place's answer, computed with the client's wait preference and saying it was taken (Preference-Applied); a
 * purchased place's with its purchase.
 */
async function placeWaited(
  deps: AppDeps,
  who: ResidentClaims,
  campaignId: string,
  prefer: string | undefined,
  place: (waitMs: number) => Promise<QueueStatus>,
): Promise<FastAnswer> {
  const waitS = preferredWait(prefer);
  const queue = await place((waitS ?? 0) * 1000);
  const answer = placeAnswer(queue, await purchaseOfPlace(deps, who, campaignId, queue));
  if (waitS !== undefined) answer.headers = { ...answer.headers, 'Preference-Applied': `wait=${waitS}` };
  return answer;
}

/**
 * A look at one's place, waiting as the client prefers: `Prefer: wait=N` holds a pre-queue look until the opening's
 * shuffle if it comes within N seconds (at most MAX_LOOK_WAIT_S); a preference that is not a number is ignored.
 */
export const lookOverApi = (
  deps: AppDeps,
  who: ResidentClaims,
  campaignId: string,
  prefer: string | undefined,
) =>
  placeWaited(deps, who, campaignId, prefer, (waitMs) =>
    queueStatus(deps.instant, campaignId, who.sub, waitMs),
  );

/**
 * Joining, with the region declared in the body when the sale asks it: a client that will wait is told to look
 * again when its look would be held, and an arrival after the opening, before its pass has shuffled, is held for
 * that pass.
 */
export const joinOverApi = (
  deps: AppDeps,
  who: ResidentClaims,
  campaignId: string,
  body: unknown,
  prefer: string | undefined,
) => {
  const joiner = joinerOf(who, body);
  return placeWaited(deps, who, campaignId, prefer, (waitMs) =>
    joinQueue(deps.instant, campaignId, joiner, waitMs),
  );
};

function answerWith(ctx: Context, a: FastAnswer) {
  if (a.headers) ctx.set(a.headers);
  ctx.status = a.status;
  ctx.body = a.body;
}

/** POST /api/campaigns/:id/purchases for a resident: the koa route and the fast path (fastPath.ts). */
export async function purchaseOverApi(
  deps: AppDeps,
  who: ResidentClaims,
  campaignId: string | undefined,
  body: unknown,
  header: (name: string) => string | undefined,
): Promise<FastAnswer> {
  const key = header('idempotency-key');
  const token = header('x-admission-token');
  const b = parse(purchaseSchema, {
    ...(body as Record<string, unknown>),
    ...(key ? { idempotency_key: key } : {}),
    ...(token ? { admission_token: token } : {}),
  });
  const answer = await purchase(deps.instant, who.sub, { campaign_id: parseId(campaignId), ...b });
  return {
    status: answer.status,
    body: { purchase: answer.purchase },
    ...(answer.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
  };
}

export function instantApiRoutes(router: Router, deps: AppDeps): void {
  const must = requireResident(deps);

  router.post('/api/campaigns/:id/queue', must, async (ctx) => {
    const who = resident(ctx, deps);
    const id = parseId(ctx.params.id);
    answerWith(ctx, await joinOverApi(deps, who, id, bodyOf(ctx), ctx.get('prefer') || undefined));
  });

  router.get('/api/campaigns/:id/queue', must, async (ctx) => {
    const who = resident(ctx, deps);
    answerWith(ctx, await lookOverApi(deps, who, parseId(ctx.params.id), ctx.get('prefer') || undefined));
  });

  router.post('/api/campaigns/:id/purchases', must, async (ctx) => {
    const who = resident(ctx, deps);
    answerWith(
      ctx,
      await purchaseOverApi(deps, who, ctx.params.id, bodyOf(ctx), (h) => ctx.get(h) || undefined),
    );
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
