// Instant-sale test world: an app with the development payment provider, a voucher sale whose pre-queue is
// open (by the database clock), and buyers with resident sessions.
import { randomUUID } from 'node:crypto';
import type { InstantContext } from '../../src/commands/instant/context.js';
import { runInstantSales } from '../../src/commands/instant/runSales.js';
import { issueVouchers } from '../../src/commands/payments/issueVouchers.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { cryptoRandom } from '../../src/crypto/random.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { encryptText } from '../../src/identity/crypto.js';
import { signResidentToken } from '../../src/identity/residentSession.js';
import { devPaymentProvider } from '../../src/payments/devProvider.js';
import { derivedKey } from '../../src/payments/fromConfig.js';
import { devIssuer } from '../../src/payments/issuer.js';
import { type StaffAuth, startTestApp, TEST_SECRETS, type TestApp } from './app.js';
import { drawContext, runDrawJobs } from './draw.js';
import { buildVoucherCampaign } from './factories.js';
import { noFaults, seeded } from './payments.js';

export interface Buyer {
  identity_id: string;
  headers: Record<string, string>;
}

export async function instantWorld() {
  const app = await startTestApp({
    ownPublicUrl: true,
    payments: (url, db) => {
      const dev = devPaymentProvider({
        db,
        publicUrl: url,
        webhookSecret: derivedKey(TEST_SECRETS.dataKey, 'dev-payment-webhooks'),
        timeoutMs: 5000,
        faults: noFaults(),
        random: seeded(7),
      });
      return {
        provider: dev,
        issuer: devIssuer(derivedKey(TEST_SECRETS.dataKey, 'issuer')),
        devCheckout: dev.checkout,
      };
    },
  });
  const ctx: InstantContext = {
    ...salesContext(app),
    payment: {
      db: app.db,
      clock: app.clock,
      secrets: TEST_SECRETS,
      publicUrl: app.url,
      provider: app.deps.payments!.provider,
      settlements: app.deps.payment!.settlements,
      awardOrders: app.deps.payment!.awardOrders,
    },
  };
  const issuer = devIssuer(derivedKey(TEST_SECRETS.dataKey, 'issuer'));
  /** What the payments worker does for a paid order: issue its vouchers (and tell the buyer). */
  const issue = (orderId: string) => issueVouchers(ctx.payment!, issuer, orderId);
  /** What the draw worker does for a cancel: tell the queue it will not come (tellOfCancel.ts). */
  const worker = () => runDrawJobs(drawContext(app.db, app.clock, { publicUrl: app.url }));
  return { app, ctx, tick: () => strictPass(ctx), issue, worker };
}

/** What the sales' passes run with on a test app; no payment path (instantWorld adds one). */
export function salesContext(app: TestApp): InstantContext {
  return { db: app.db, clock: app.clock, random: cryptoRandom, secrets: TEST_SECRETS, publicUrl: app.url };
}

/** A pass of the instant sales that throws what any part of it could not do (the service logs and goes on). */
export async function strictPass(ctx: InstantContext) {
  const report = await runInstantSales(ctx);
  const [failed] = report.failures;
  if (failed) throw failed.err;
  return report;
}

/** A scheduled voucher sale opening in ten minutes (database clock): its pre-queue is open now. */
export async function scheduledSale(app: TestApp, o: { units: number; perPersonUnits?: number }) {
  const input = parseCampaignBody(
    buildVoucherCampaign(app.clock.now(), {
      mode: 'instant',
      total: o.units * 10_000,
      per_person_max: (o.perPersonUnits ?? 2) * 10_000,
    }),
  );
  const c = await createCampaign({ db: app.db, clock: app.clock }, { kind: 'system', name: 'test' }, input);
  await app.db.raw(
    `UPDATE campaigns SET state = 'scheduled', opens_at = now() + interval '10 minutes',
       closes_at = now() + interval '1 day', draw_at = now() + interval '1 day',
       claim_opens_at = now() + interval '1 day', claim_closes_at = now() + interval '30 days',
       discount_bp = 1000 WHERE id = ?`,
    [c.id],
  );
  return c;
}

/** A draft instant sale of 100 units, two a person, made by `admin` over the API as an operator would: the reply. */
export function draftSale(app: TestApp, admin: StaffAuth) {
  const json = buildVoucherCampaign(app.clock.now(), {
    mode: 'instant',
    total: 100 * 10_000,
    per_person_max: 20_000,
  });
  return app.request('POST', '/api/admin/campaigns', { as: admin, json });
}

/** Opening as the reconciler would do it, by the database clock. */
export async function openSale(app: TestApp, campaignId: string) {
  await app.db.raw(
    `UPDATE campaigns SET state = 'open', opens_at = now() - interval '1 second' WHERE id = ?`,
    [campaignId],
  );
}

/** An open sale of five units with `n` people in its queue, each with a phone number (not yet admitted). */
export async function queuedSale(app: TestApp, n: number) {
  const c = await scheduledSale(app, { units: 5 });
  const people = await buyers(app, n, { sms: true });
  await openSale(app, c.id);
  for (const p of people) await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: p.headers });
  return { c, people };
}

/** Residents with sessions signed by the service's key, as a verified sign-in would give them. */
export async function buyers(
  app: TestApp,
  n: number,
  o: { email?: boolean; sms?: boolean; lang?: 'ko' | 'en' } = {},
): Promise<Buyer[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const identity_id = randomUUID();
      // With o.email, each has an address to be told at (buyer<i>@test.example), with o.sms a mobile number
      // (+8210555070<i>), sealed as sign-in seals it.
      const contact = o.email
        ? { cc: 'email' as const, ce: encryptText(TEST_SECRETS, `buyer${i}@test.example`, 'contact') }
        : o.sms
          ? {
              cc: 'sms' as const,
              ce: encryptText(TEST_SECRETS, `+8210555070${String(i).padStart(2, '0')}`, 'contact'),
            }
          : { cc: null, ce: null };
      const token = await signResidentToken(
        TEST_SECRETS.sessionSecret,
        { sub: identity_id, m: 'sms', bd: null, bs: null, ...contact, lang: o.lang ?? 'ko' },
        app.clock.now(),
      );
      return { identity_id, headers: { 'x-resident-token': token } };
    }),
  );
}

/** A buyer's look finds their turn, then they buy `quantity` with its token under `key`: the purchase's reply. */
export async function buyAtTurn(app: TestApp, saleId: string, b: Buyer, key: string, quantity = 10_000) {
  const turn = await app.request('GET', `/api/campaigns/${saleId}/queue`, { headers: b.headers });
  return buyWithToken(app, saleId, b, turn.json.queue.admission_token, key, quantity);
}

/** A buyer buys `quantity` with the admission token they were given, under `key`: the purchase's reply. */
export function buyWithToken(
  app: TestApp,
  saleId: string,
  b: Buyer,
  token: string,
  key: string,
  quantity = 10_000,
) {
  return app.request('POST', `/api/campaigns/${saleId}/purchases`, {
    headers: { ...b.headers, 'idempotency-key': key, 'x-admission-token': token },
    json: { quantity },
  });
}

/** Through the development checkout and back to the service, as a buyer's browser goes: pays the order. */
export async function payAtCheckout(app: TestApp, checkoutUrl: string) {
  const chosen = await app.request('POST', new URL(checkoutUrl).pathname, { form: { choice: 'pay' } });
  const back = new URL(chosen.headers.get('location')!, app.url);
  return app.request('GET', back.pathname + back.search);
}

/**
 * A sale of `units` with one buyer whose turn has come: their identity, their session's headers and their
 * purchase of `quantity` under `key`, ready to send.
 */
export async function turnToBuy(
  w: Awaited<ReturnType<typeof instantWorld>>,
  units: number,
  key: string,
  quantity = 10_000,
) {
  const { app, tick } = w;
  const c = await scheduledSale(app, { units });
  const [b] = await buyers(app, 1);
  await openSale(app, c.id);
  await app.request('POST', `/api/campaigns/${c.id}/queue`, { headers: b!.headers });
  await tick();
  const s = (await app.request('GET', `/api/campaigns/${c.id}/queue`, { headers: b!.headers })).json.queue;
  const input = { campaign_id: c.id, quantity, idempotency_key: key, admission_token: s.admission_token };
  return { campaignId: c.id as string, identityId: b!.identity_id, headers: b!.headers, input };
}

/** Runs tasks with at most `width` in flight. */
export async function inWaves<T>(items: T[], width: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}
