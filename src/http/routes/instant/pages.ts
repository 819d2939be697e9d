// The waiting room in the browser, without JavaScript: join, a page that refreshes itself while waiting,
// the buy form at one's turn, then the provider's checkout and back.
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { CampaignRules } from '../../../commands/campaignRules.js';
import { purchase } from '../../../commands/instant/purchase.js';
import { joinQueue, type QueueStatus, queueStatus } from '../../../commands/instant/queueStatus.js';
import { purchaseView, saleEnded, saleView } from '../../../commands/instant/saleView.js';
import { confirmPayment } from '../../../commands/payments/confirmPayment.js';
import { findOrderOfPurchase } from '../../../db/repos/orders.js';
import { DomainError } from '../../../domain/errors.js';
import { priceOf } from '../../../domain/payments/order.js';
import { refusalWords } from '../../../i18n/refusal.js';
import type { AppDeps } from '../../deps.js';
import { statusOf } from '../../errors.js';
import { checkResidentCsrf, readResident } from '../../middleware/residentAuth.js';
import { render } from '../../render.js';
import { bodyOf, parse, parseId } from '../../validate.js';
import { loadRules, pageBase } from '../applications/view.js';
import { countdownUnits } from '../campaigns/view.js';
import { joinerOf } from './api.js';
import { purchaseSchema } from './schema.js';

/** What a refused purchase or join shows on the page, in the page's language. */
const PAGE_ERRORS = new Set([
  'sold_out',
  'admission_invalid',
  'admission_used',
  'already_purchased',
  'campaign_closed',
  'campaign_not_open',
  'payment_unavailable',
  'not_eligible',
  'verification_not_allowed',
]);

/** A refusal in the page's words: who may buy (said as buying) for a join the sale's rules refuse. */
function errorWords(ctx: Context, err: DomainError): string {
  if (err.code === 'not_eligible')
    return refusalWords(ctx.state.t, ctx.state.lang, err.details ?? {}, { sale: true });
  return ctx.state.t(`errors.${err.code}`);
}

export function instantPageRoutes(router: Router, deps: AppDeps): void {
  /** `refused`: a join or purchase refused, said on the page with the status the API gives it. */
  async function page(
    ctx: Context,
    cached: CampaignRules,
    refused?: { err: DomainError; values: Record<string, unknown> },
  ) {
    const who = await readResident(ctx, deps);
    let rules = cached;
    let queue: QueueStatus | undefined;
    if (who) {
      try {
        queue = await queueStatus(deps.instant, rules.campaign.id, who.claims.sub);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'not_found') throw err;
      }
    }
    if (queue?.state === 'cancelled' && rules.campaign.state !== 'cancelled') {
      // The place says cancelled before the cached campaign (up to a second old) does: the page that stops
      // refreshing here must show the campaign as it is, with the operator's word to residents.
      deps.intake.rules.forget(rules.campaign.id);
      rules = await deps.intake.rules.byId(deps.db, rules.campaign.id);
    }
    const c = rules.campaign;
    const waiting = queue && ['pre_queue', 'placing', 'waiting'].includes(queue.state);
    const choices: number[] = [];
    for (let n = c.denomination; n <= c.per_person_max; n += c.denomination) choices.push(n);
    ctx.set('Cache-Control', 'no-store');
    render(
      ctx,
      'instant-queue',
      {
        ...pageBase(ctx, deps, rules),
        signedIn: Boolean(who),
        queue,
        choices,
        // what each choice costs at the campaign's discount, shown before the buy (the checkout charges it)
        price: (faceValue: number) => priceOf({ face_value: faceValue, discount_bp: c.discount_bp ?? 0 }),
        // The same key for every submit of this turn's form: a double click replays instead of failing.
        idempotencyKey:
          queue?.state === 'your_turn'
            ? `page-${createHash('sha256').update(queue.admission_token).digest('hex').slice(0, 32)}`
            : '',
        // for the turn's ticking time left: the service's clock, not the phone's, and the words of its units
        serverNow: deps.clock.now().toISOString(),
        units: countdownUnits(ctx.state.t),
        purchase:
          who && queue?.state === 'purchased' ? await purchaseView(deps, c, who.claims.sub) : undefined,
        sale: await saleView(deps, c.id).catch(() => undefined),
        waiting,
        // one without a place is told a sale sold out for good before verifying or joining for nothing
        ended: queue ? undefined : await saleEnded(deps, c.id),
        errorText: refused ? errorWords(ctx, refused.err) : undefined,
        // a refusal for want of a birth date is answered by verifying again, in a way that gives one
        verifyAgain: refused?.err.details?.reason === 'birth_date_required',
        values: refused?.values ?? {},
      },
      refused ? statusOf(refused.err) : 200,
    );
  }

  const rulesOf = async (ctx: Context) => {
    const rules = await loadRules(ctx, deps);
    if (rules.campaign.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
    return rules;
  };

  router.get('/campaigns/:id/queue', async (ctx) => page(ctx, await rulesOf(ctx)));

  router.post('/campaigns/:id/queue', async (ctx) => {
    const rules = await rulesOf(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    checkResidentCsrf(ctx, deps);
    const body = bodyOf(ctx);
    try {
      await joinQueue(deps.instant, rules.campaign.id, joinerOf(who.claims, body));
    } catch (err) {
      if (err instanceof DomainError && PAGE_ERRORS.has(err.code))
        return page(ctx, rules, { err, values: body });
      throw err;
    }
    ctx.status = 303;
    ctx.redirect(`/campaigns/${rules.campaign.id}/queue`);
  });

  router.post('/campaigns/:id/queue/buy', async (ctx) => {
    const rules = await rulesOf(ctx);
    const who = await readResident(ctx, deps);
    if (!who) return ctx.redirect(`/campaigns/${rules.campaign.id}/apply`);
    checkResidentCsrf(ctx, deps);
    const b = parse(purchaseSchema, bodyOf(ctx));
    try {
      const input = { campaign_id: rules.campaign.id, ...b };
      const answer = await purchase(deps.instant, who.claims.sub, input);
      const order = answer.purchase.order as { checkout_url?: string };
      ctx.status = 303;
      ctx.redirect(order.checkout_url ?? `/campaigns/${rules.campaign.id}/queue`);
    } catch (err) {
      if (err instanceof DomainError && PAGE_ERRORS.has(err.code))
        return page(ctx, rules, { err, values: {} });
      throw err;
    }
  });

  // The checkout sends the browser back here; the provider, not the query string, says what happened.
  router.get('/campaigns/:id/queue/return', async (ctx) => {
    const campaignId = parseId(ctx.params.id);
    const publicId = typeof ctx.query.purchase === 'string' ? ctx.query.purchase : '';
    const order = await findOrderOfPurchase(deps.db, campaignId, publicId);
    if (!order) throw new DomainError('not_found', 'No such purchase');
    const payment = deps.instant.payment;
    if (payment) await confirmPayment(payment, order, 'return');
    ctx.status = 303;
    ctx.redirect(`/campaigns/${campaignId}/queue${ctx.state.lang === 'en' ? '?lang=en' : ''}`);
  });
}
