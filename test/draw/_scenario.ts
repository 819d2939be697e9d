// A goods (or voucher) lottery whose draw comes hours after the opening, so that pickup slots (+60 h and +62 h)
// and claim deadlines lie days after the draw, as in a real campaign; drawn through the reconciler with a
// recorded beacon. Times are offsets from the stepped clock's start (2026-12-01 00:00 KST).
import type { CounterContext } from '../../src/commands/counterClaim.js';
import type { Db } from '../../src/db/knex.js';
import { TEST_SECRETS, type TestApp } from '../helpers/app.js';
import { addApplications, drawContext, drawReconciler, hours, scheduledLottery } from '../helpers/draw.js';
import { isoFrom } from '../helpers/factories.js';

export const START = new Date('2026-12-01T00:00:00+09:00');
export const at = (h: number) => new Date(START.getTime() + hours(h));

/** The scenario's lottery scheduled (opens at +1 h, closes at +3 h, draws at +4 h), the clock at its start. */
export async function scheduledScenario(app: TestApp, kind: 'goods' | 'voucher') {
  app.clock.set(START);
  return scheduledLottery(app.db, app.clock, {
    kind,
    sites: 2,
    capacity: 3,
    overrides: {
      opens_at: isoFrom(START, hours(1)),
      closes_at: isoFrom(START, hours(3)),
      draw_at: isoFrom(START, hours(4)),
      claim_opens_at: isoFrom(START, hours(5)),
    },
  });
}

export async function drawnLottery(
  app: TestApp,
  o: {
    kind?: 'goods' | 'voucher';
    applicants?: number;
    claimPeriodHours?: number;
    total?: number;
    /** columns of the campaign row set before the opening (unclaimed_policy, claim_closes_at, groups) */
    campaign?: Record<string, unknown>;
  } = {},
) {
  const s = await scheduledScenario(app, o.kind ?? 'goods');
  // Both are read at the opening (the published rules) and at the draw.
  if (o.claimPeriodHours) {
    await app.db('campaigns').where({ id: s.campaignId }).update({ claim_period_hours: o.claimPeriodHours });
  }
  if (o.total) await app.db('campaigns').where({ id: s.campaignId }).update({ total: o.total });
  if (o.campaign) await app.db('campaigns').where({ id: s.campaignId }).update(o.campaign);
  await addApplications(app.db, s, o.applicants ?? 40, { voucher: o.kind === 'voucher' });
  const ctx = drawContext(app.db, app.clock);
  const reconciler = drawReconciler(ctx);
  app.clock.set(at(1));
  await reconciler.runOnce();
  app.clock.set(at(3));
  await reconciler.runOnce();
  await app.db('draws').where({ campaign_id: s.campaignId }).update({ beacon: 'lotto 2026-12-01: 1 2 3' });
  app.clock.set(at(4));
  await reconciler.runOnce();
  const env: CounterContext = {
    db: app.db,
    clock: app.clock,
    secrets: TEST_SECRETS,
    publicUrl: 'http://127.0.0.1',
  };
  return { s, ctx, reconciler, env };
}

export const awardsOf = (db: Db, campaignId: string) =>
  db('awards').where({ campaign_id: campaignId }).orderBy('rank');

export const appIdOf = async (db: Db, campaignId: string, publicId: string): Promise<string> =>
  (await db('roster_entries').where({ campaign_id: campaignId, public_id: publicId }).first()).application_id;
