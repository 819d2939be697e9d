// A lottery campaign with sites, slots and a few hundred applications, and the draw's reconciler wiring.
import { runOnce as runQueuedJobs, Logger as WorkerLogger } from 'graphile-worker';
import pg from 'pg';
import type { Clock } from '../../src/clock.js';
import { changeCampaignState } from '../../src/commands/changeCampaignState.js';
import type { DrawContext } from '../../src/commands/drawContext.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import { saveSite } from '../../src/commands/saveSite.js';
import { seededRandom } from '../../src/crypto/random.js';
import type { Db } from '../../src/db/knex.js';
import { FANOUT_TASK } from '../../src/db/repos/drawJobs.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { encryptText } from '../../src/identity/crypto.js';
import { drawReconcilerParts, drawTaskList } from '../../src/jobs/draw.js';
import { createReconciler } from '../../src/jobs/reconciler.js';
import { createLogger } from '../../src/logger.js';
import { TEST_SECRETS } from './app.js';
import type { SteppedClock } from './clock.js';
import { buildGoodsCampaign, buildVoucherCampaign } from './factories.js';

const system = { kind: 'system', name: 'test' } as const;
const HOUR = 3600_000;

export function drawContext(db: Db, clock: Clock, over: Partial<DrawContext> = {}): DrawContext {
  return {
    db,
    clock,
    secrets: TEST_SECRETS,
    random: seededRandom('draw-test'),
    publicUrl: 'http://127.0.0.1',
    beaconSource: 'drand quicknet: the first round after {closes_at}',
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...over,
  };
}

/** Runs every queued freeze and draw job (what the draw worker does in the service), then returns. */
export async function runDrawJobs(ctx: DrawContext): Promise<void> {
  const logger = ctx.logger ?? createLogger('silent');
  const { [FANOUT_TASK]: _sentSeparately, ...taskList } = drawTaskList(ctx, logger);
  // knex keeps the connection as parsed settings, with the password not enumerable (so a spread drops it and the
  // embedded server, which asks for one, refuses); graphile-worker gets a pool of its own on them
  const connection = ctx.db.client.config.connection as pg.PoolConfig;
  const pgPool = new pg.Pool({ ...connection, password: connection.password, max: 2 });
  // An idle client dropped by the server: the next query reconnects. Both listeners, as graphile-worker asks
  // (without the connect one it warns at every run, which filled the test output).
  pgPool.on('error', () => {});
  pgPool.on('connect', (client) => client.on('error', () => {}));
  try {
    await runQueuedJobs({ pgPool, taskList, logger: new WorkerLogger(() => () => {}) });
  } finally {
    await pgPool.end();
  }
}

/**
 * The reconciler as main.ts wires it, with the draw worker's freeze and draw jobs run after each pass, and
 * the draw step once more after them (a freeze lets a due draw be enqueued): runOnce() does what a second
 * of the service does. The results fan-out is left queued; tests that want it run the draw worker.
 */
export function drawReconciler(ctx: DrawContext) {
  const parts = drawReconcilerParts(ctx);
  const reconciler = createReconciler(
    { db: ctx.db, clock: ctx.clock },
    { logger: ctx.logger ?? createLogger('silent'), hooks: parts.hooks, steps: parts.steps },
  );
  const drawStep = parts.steps.find((s) => s.name === 'draw')!;
  return {
    ...reconciler,
    async runOnce() {
      await reconciler.runOnce();
      await runDrawJobs(ctx);
      await drawStep.run();
      await runDrawJobs(ctx);
    },
  };
}

export interface Scenario {
  campaignId: string;
  /** names the scenario's sites and public ids; the draw's inputs depend on it, never on the campaign's UUID */
  tag: string;
  siteIds: string[];
  opensAt: Date;
  closesAt: Date;
  drawAt: Date;
  claimOpensAt: Date;
}

/**
 * Opens and closes the campaign through the draw reconciler, records `beacon` and sets the clock to the draw
 * time (the draw itself is left to the caller).
 */
export async function closeWithBeacon(db: Db, clock: SteppedClock, s: Scenario, beacon: string) {
  const ctx = drawContext(db, clock);
  const reconciler = drawReconciler(ctx);
  clock.set(s.opensAt);
  await reconciler.runOnce();
  clock.set(s.closesAt);
  await reconciler.runOnce();
  await db('draws').where({ campaign_id: s.campaignId }).update({ beacon });
  clock.set(s.drawAt);
  return { ctx, reconciler };
}

/**
 * A voucher lottery with a few applications, opened and closed through the draw reconciler, its roster frozen: its
 * beacon is due (the clock is left at its close). `beaconSource`: the campaign's own, named at the opening.
 */
export async function closedLottery(db: Db, clock: SteppedClock, o: { beaconSource?: string } = {}) {
  const s = await scheduledLottery(db, clock, { kind: 'voucher' });
  if (o.beaconSource)
    await db('campaigns').where({ id: s.campaignId }).update({ beacon_source: o.beaconSource });
  await addApplications(db, s, 3, { voucher: true });
  const reconciler = drawReconciler(drawContext(db, clock));
  clock.set(s.opensAt);
  await reconciler.runOnce();
  clock.set(s.closesAt);
  await reconciler.runOnce();
  return s;
}

// Scenarios are numbered in the order a test file creates them (each file runs in its own process and its
// draw tests run serially), so the sites, public ids, roster root and therefore every draw are the same on
// every run: a test's outcome never depends on a random campaign UUID or site tag.
let scenarios = 0;

/** A scheduled goods campaign over `sites` pharmacies (2 slots each), or a voucher campaign. */
export async function scheduledLottery(
  db: Db,
  clock: Clock,
  o: {
    kind?: 'goods' | 'voucher';
    sites?: number;
    capacity?: number;
    overrides?: Record<string, unknown>;
    /** a fixed name for tests that run concurrently within their file (default: the scenario's number) */
    tag?: string;
  } = {},
): Promise<Scenario> {
  const now = clock.now();
  const tag = o.tag ?? `S${String(++scenarios).padStart(3, '0')}`;
  const siteIds = Array.from(
    { length: o.kind === 'voucher' ? 0 : (o.sites ?? 3) },
    (_, i) => `PH-${tag}-${i}`,
  );
  for (const id of siteIds) {
    await saveSite({ db, clock }, system, {
      id,
      name_ko: `약국 ${id}`,
      name_en: `Pharmacy ${id}`,
      district: '중구',
      address: `서울 중구 ${id}길 1`,
    });
  }
  const body =
    o.kind === 'voucher'
      ? buildVoucherCampaign(now, {
          total: 20_000_000,
          groups: [{ name: 'senior', reserved: 2_000_000, weight: 2 }],
          ...o.overrides,
        })
      : buildGoodsCampaign(now, siteIds, {
          groups: [{ name: 'senior', reserved: 20, weight: 2 }],
          partial: 'partial',
          ...o.overrides,
        });
  if (o.kind !== 'voucher' && o.capacity) {
    const slots = (body as unknown as { slots: Array<{ capacity: number }> }).slots;
    for (const s of slots) s.capacity = o.capacity;
    (body as { total: number }).total = slots.length * o.capacity;
    (body as unknown as { groups: Array<{ reserved: number }> }).groups[0]!.reserved = Math.floor(
      (slots.length * o.capacity) / 4,
    );
  }
  const input = parseCampaignBody(body);
  const c = await createCampaign({ db, clock }, system, input);
  await changeCampaignState({ db, clock }, system, c.id, 'schedule');
  return {
    campaignId: c.id,
    tag,
    siteIds,
    opensAt: input.opens_at,
    closesAt: input.closes_at,
    drawAt: input.draw_at,
    claimOpensAt: input.claim_opens_at,
  };
}

/** n identities and active applications, inserted directly (the intake commands are tested elsewhere). */
export async function addApplications(
  db: Db,
  s: Scenario,
  n: number,
  o: { voucher?: boolean } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const [identity] = await db('identities')
      .insert({ identity_key: `k-${s.campaignId}-${i}`, method: 'email', lang: i % 5 === 0 ? 'en' : 'ko' })
      .returning('id');
    const publicId = `T${s.tag}${String(i).padStart(5, '0')}`;
    ids.push(publicId);
    const k = s.siteIds.length;
    rows.push({
      campaign_id: s.campaignId,
      identity_id: identity.id,
      public_id: publicId,
      channel: 'web',
      request: o.voucher ? 10_000 * (1 + (i % 25)) : 1 + (i % 3),
      preferences: k === 0 ? [] : [s.siteIds[i % k], s.siteIds[(i + 1) % k]],
      group_name: i % 7 === 0 ? 'senior' : '',
      weight: i % 7 === 0 ? 2 : 1,
      lang: i % 5 === 0 ? 'en' : 'ko',
      status: i % 50 === 49 ? 'withdrawn' : 'active',
      contact_channel: 'email',
      contact_enc: encryptText(TEST_SECRETS, `applicant${i}@test.example`, 'contact'),
    });
  }
  await db.batchInsert('applications', rows, 500);
  return ids;
}

export const hours = (h: number) => h * HOUR;
