// Tests run serially: every reconciler pass moves every due campaign in the shared database.
// Campaigns open and close on time by themselves: stepped clock, real clock, two instances, and catch-up.
import test from 'ava';
import { appendAudit } from '../../src/audit/log.js';
import type { Clock } from '../../src/clock.js';
import { systemClock } from '../../src/clock.js';
import { advanceCampaigns } from '../../src/commands/advanceCampaigns.js';
import { changeCampaignState } from '../../src/commands/changeCampaignState.js';
import { createCampaign } from '../../src/commands/saveCampaign.js';
import type { Db } from '../../src/db/knex.js';
import { createDb } from '../../src/db/knex.js';
import { parseCampaignBody } from '../../src/http/routes/campaigns/schema.js';
import { createReconciler } from '../../src/jobs/reconciler.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { pendingAfter } from '../helpers/async.js';
import { SteppedClock } from '../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildVoucherCampaign } from '../helpers/factories.js';
import { waitFor } from '../helpers/notify.js';

const logger = createLogger('silent');
const system = { kind: 'system', name: 'test' } as const;
let database: TestDatabase;

test.before(async () => {
  database = await createTestDatabase();
});
test.after.always(async () => {
  await database?.drop();
});

async function scheduledCampaign(db: Db, clock: Clock, opensInMs: number, closesInMs: number) {
  const now = clock.now().getTime();
  const iso = (ms: number) => new Date(now + ms).toISOString();
  const input = parseCampaignBody(
    buildVoucherCampaign(clock.now(), {
      opens_at: iso(opensInMs),
      closes_at: iso(closesInMs),
      draw_at: iso(closesInMs + 3600_000),
      claim_opens_at: iso(closesInMs + 7200_000),
    }),
  );
  const c = await createCampaign({ db, clock }, system, input);
  await changeCampaignState({ db, clock }, system, c.id, 'schedule');
  return c;
}

const stateOf = async (db: Db, id: string) => (await db('campaigns').where({ id }).first()).state as string;
const actionsFor = async (db: Db, id: string) =>
  (
    await db('audit_log')
      .where({ subject: `campaign:${id}` })
      .orderBy('seq')
  ).map((r) => r.action as string);

test.serial('with a stepped clock a campaign opens and closes at the exact second, not before', async (t) => {
  const clock = new SteppedClock('2026-12-01T07:59:58+09:00');
  const c = await scheduledCampaign(database.db, clock, 2000, 4000);
  const reconciler = createReconciler({ db: database.db, clock }, { logger });
  clock.advance(1999);
  await reconciler.runOnce();
  t.is(await stateOf(database.db, c.id), 'scheduled');
  clock.advance(1);
  await reconciler.runOnce();
  t.is(await stateOf(database.db, c.id), 'open');
  const opened = await database.db('campaigns').where({ id: c.id }).first();
  t.is(opened.state_changed_at.toISOString(), '2026-11-30T23:00:00.000Z');
  clock.advance(1999);
  await reconciler.runOnce();
  t.is(await stateOf(database.db, c.id), 'open');
  clock.advance(1);
  await reconciler.runOnce();
  t.is(await stateOf(database.db, c.id), 'closed');
  t.deepEqual(await actionsFor(database.db, c.id), [
    'campaign.created',
    'campaign.scheduled',
    'campaign.opened',
    'campaign.closed',
  ]);
  await reconciler.stop();
});

test.serial('with the real clock and cron, opening and closing land on time, never early', async (t) => {
  const c = await scheduledCampaign(database.db, systemClock, 2000, 4000);
  const reconciler = createReconciler(
    { db: database.db, clock: systemClock },
    { logger, cron: '* * * * * *' },
  );
  try {
    const deadline = Date.now() + 9000;
    while ((await stateOf(database.db, c.id)) !== 'closed' && Date.now() < deadline) await sleep(100);
    const rows = await database
      .db('audit_log')
      .where({ subject: `campaign:${c.id}` })
      .whereIn('action', ['campaign.opened', 'campaign.closed'])
      .orderBy('seq');
    const row = await database.db('campaigns').where({ id: c.id }).first();
    t.is(row.state, 'closed');
    t.is(rows.length, 2);
    const lag = (i: number, due: Date) => rows[i].at.getTime() - due.getTime();
    // Never early; on time give or take a loaded machine's scheduling (the timer's own precision is
    // checked on the stepped clock below, where load cannot move it).
    t.true(
      lag(0, row.opens_at) >= 0 && lag(0, row.opens_at) < 3000,
      `opening lag ${lag(0, row.opens_at)} ms`,
    );
    t.true(
      lag(1, row.closes_at) >= 0 && lag(1, row.closes_at) < 3000,
      `closing lag ${lag(1, row.closes_at)} ms`,
    );
  } finally {
    await reconciler.stop();
  }
});

test.serial('a moment due within 1.5 s is handled by the armed timer, without a cron tick', async (t) => {
  // Months away from the other tests' campaigns, so theirs are not the next moment.
  const clock = new SteppedClock('2027-03-01T07:59:59+09:00');
  const c = await scheduledCampaign(database.db, clock, 1000, 3600_000);
  // A cron expression that cannot fire during the test (00:00 on 1 January): only the timer can open it.
  const reconciler = createReconciler({ db: database.db, clock }, { logger, cron: '0 0 1 1 *' });
  try {
    await reconciler.runOnce(); // nothing due yet; the pass arms a timer for the opening, a second ahead
    t.is(await stateOf(database.db, c.id), 'scheduled');
    // The stepped clock reaches the moment now; the timer fires about a second later in real time. (Were it
    // to fire first, its pass would find nothing due and arm it again.)
    clock.advance(1000);
    await waitFor(
      'the timer to open the campaign',
      async () => (await stateOf(database.db, c.id)) === 'open',
    );
    const opened = await database.db('campaigns').where({ id: c.id }).first();
    t.is(opened.state_changed_at.toISOString(), '2027-02-28T23:00:00.000Z');
  } finally {
    await reconciler.stop();
  }
});

/** A reconciler step that holds the first pass until released, and counts the passes that reach it. */
function firstPassHeld() {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let passes = 0;
  return {
    step: { name: 'held', run: () => (++passes === 1 ? held : Promise.resolve()) },
    release,
    passes: () => passes,
    reached: () => waitFor('the first pass to reach its step', async () => passes >= 1),
  };
}

test.serial(
  'a step that is slow holds neither the transitions nor the other steps: a moment that comes meanwhile is handled at once',
  async (t) => {
    // A slow payments step after a rush (22 s in `npm run simulate`) held the instant sales' admission behind it,
    // and before that the opening itself waited for a tick's pass still in its steps.
    const clock = new SteppedClock('2027-04-01T07:59:59+09:00');
    const c = await scheduledCampaign(database.db, clock, 1000, 3600_000);
    const slow = firstPassHeld();
    let quick = 0;
    // No cron tick can fire during the test: only these calls run passes.
    const reconciler = createReconciler(
      { db: database.db, clock },
      { logger, cron: '0 0 1 1 *', steps: [slow.step, { name: 'quick', run: async () => void quick++ }] },
    );
    try {
      const tick = reconciler.runOnce(); // the tick's pass: nothing due yet; its slow step held
      await slow.reached();
      clock.advance(1000);
      const timer = reconciler.runOnce(); // the timer's call, for the opening
      await waitFor(
        'the opening, with the slow step still held',
        async () => (await stateOf(database.db, c.id)) === 'open',
      );
      await waitFor('the quick step run again', async () => quick === 2);
      t.true(await pendingAfter(timer, 50), 'the call waits for a run of the slow step begun after it');
      slow.release();
      await tick;
      await timer;
      t.is(slow.passes(), 2, 'the slow step once more, after the run in flight');
    } finally {
      await reconciler.stop();
    }
  },
);

test.serial('steps of one lane run one after another; a lane apart runs meanwhile', async (t) => {
  const held = firstPassHeld();
  let after = 0;
  let apart = 0;
  const reconciler = createReconciler(
    { db: database.db, clock: new SteppedClock('2027-06-01T07:59:59+09:00') },
    {
      logger,
      steps: [
        { ...held.step, lane: 'campaigns' },
        { name: 'after', lane: 'campaigns', run: async () => void after++ },
        { name: 'apart', run: async () => void apart++ },
      ],
    },
  );
  try {
    const pass = reconciler.runOnce();
    await held.reached();
    await waitFor('the lane apart to run', async () => apart === 1);
    t.is(after, 0, 'the step behind the held one in its lane waits');
    held.release();
    await pass;
    t.is(after, 1);
    t.is(apart, 1);
  } finally {
    await reconciler.stop();
  }
});

test.serial(
  'passes asked during one run of the transitions make one run of each step, not one each',
  async (t) => {
    const clock = new SteppedClock('2027-07-01T07:59:59+09:00');
    await scheduledCampaign(database.db, clock, 1000, 3600_000);
    clock.advance(1000);
    let releaseHook!: () => void;
    const hookHeld = new Promise<void>((r) => {
      releaseHook = r;
    });
    let hookEntered = false;
    const step = firstPassHeld();
    let transitionsDone = 0;
    // the end of each run of the transitions, counted where the reconciler says so
    const metrics = createMetrics({ defaults: false });
    const lastRun = metrics.reconcilerLastRun;
    const setLastRun = lastRun.set.bind(lastRun);
    lastRun.set = ((at: number) => {
      transitionsDone++;
      setLastRun(at);
    }) as typeof lastRun.set;
    const reconciler = createReconciler(
      { db: database.db, clock },
      {
        logger,
        metrics,
        hooks: [
          async () => {
            hookEntered = true;
            await hookHeld; // the opening's transition, held
          },
        ],
        steps: [step.step],
      },
    );
    try {
      const first = reconciler.runOnce();
      await waitFor('the opening to reach its hook', async () => hookEntered);
      const during = [reconciler.runOnce(), reconciler.runOnce()]; // both share the next run of the transitions
      releaseHook();
      await step.reached(); // the first pass's step, begun after both were asked
      await waitFor('the second run of the transitions', async () => transitionsDone === 2);
      step.release();
      await Promise.all([first, ...during]);
      t.is(step.passes(), 1, 'the step run begun after the two asks answers both');
    } finally {
      await reconciler.stop();
    }
  },
);

test.serial(
  'each lane says when it last completed a run, so a lane stuck behind a slow step shows',
  async (t) => {
    const clock = new SteppedClock('2027-08-01T07:59:59+09:00');
    const held = firstPassHeld();
    const metrics = createMetrics({ defaults: false });
    const reconciler = createReconciler(
      { db: database.db, clock },
      { logger, metrics, steps: [held.step, { name: 'quick', run: async () => {} }] },
    );
    const lanes = async () =>
      Object.fromEntries(
        (await metrics.reconcilerLaneLastRun.get()).values.map((v) => [v.labels.lane, v.value]),
      );
    try {
      const pass = reconciler.runOnce();
      await held.reached();
      await waitFor('the quick lane to finish', async () => 'quick' in (await lanes()));
      t.deepEqual(await lanes(), { quick: clock.now().getTime() / 1000 }, 'the held lane has not finished');
      held.release();
      await pass;
      t.deepEqual(Object.keys(await lanes()).sort(), ['held', 'quick']);
    } finally {
      await reconciler.stop();
    }
  },
);

test.serial(
  'a stop while a pass runs waits for it; the pass queued behind it, and any asked for later, never start',
  async (t) => {
    const first = firstPassHeld();
    const reconciler = createReconciler(
      { db: database.db, clock: new SteppedClock('2027-05-01T07:59:59+09:00') },
      { logger, steps: [first.step] },
    );
    void reconciler.runOnce();
    await first.reached();
    const queued = reconciler.runOnce();
    const stopping = reconciler.stop();
    t.true(await pendingAfter(stopping, 50), 'the stop waits for the pass in flight');
    first.release();
    await stopping;
    await queued;
    await reconciler.runOnce(); // and none after the stop either
    t.is(first.passes(), 1);
  },
);

test.serial('two instances against one database perform each transition exactly once', async (t) => {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await scheduledCampaign(database.db, systemClock, 1500, 3000)).id);
  // Each "instance" has its own connection pool and its own cron-driven reconciler.
  const pools = [createDb(database.url, 5), createDb(database.url, 5)];
  const reconcilers = pools.map((db) =>
    createReconciler({ db, clock: systemClock }, { logger, cron: '* * * * * *' }),
  );
  try {
    const deadline = Date.now() + 10_000;
    const closed = async () =>
      Number(
        (await database.db('campaigns').whereIn('id', ids).where({ state: 'closed' }).count('* as n').first())
          ?.n,
      );
    while ((await closed()) < ids.length && Date.now() < deadline) await sleep(100);
    // and a few more racing passes from both, after everything is due
    await Promise.all(reconcilers.flatMap((r) => [r.runOnce(), r.runOnce()]));
    t.is(await closed(), ids.length);
    for (const id of ids) {
      const actions = await actionsFor(database.db, id);
      t.is(actions.filter((a) => a === 'campaign.opened').length, 1, id);
      t.is(actions.filter((a) => a === 'campaign.closed').length, 1, id);
    }
  } finally {
    await Promise.all(reconcilers.map((r) => r.stop()));
    await Promise.all(pools.map((p) => p.destroy()));
  }
});

test.serial('a service that was down at the opening opens the campaign at once when it starts', async (t) => {
  const clock = new SteppedClock('2026-12-01T06:00:00+09:00');
  const c = await scheduledCampaign(database.db, clock, 3600_000, 10 * 3600_000);
  clock.advance(3 * 3600_000); // down from 06:00 to 09:00; opening was at 07:00
  const reconciler = createReconciler({ db: database.db, clock }, { logger });
  await reconciler.runOnce(); // what main.ts does at start-up
  t.is(await stateOf(database.db, c.id), 'open');
});

test.serial(
  'a service that was down past closing passes through opening and closing, in order, each audited',
  async (t) => {
    const clock = new SteppedClock('2026-12-01T06:00:00+09:00');
    const c = await scheduledCampaign(database.db, clock, 3600_000, 2 * 3600_000);
    clock.advance(5 * 3600_000);
    const reconciler = createReconciler({ db: database.db, clock }, { logger });
    await reconciler.runOnce();
    t.is(await stateOf(database.db, c.id), 'closed');
    t.deepEqual((await actionsFor(database.db, c.id)).slice(-2), ['campaign.opened', 'campaign.closed']);
  },
);

test.serial('draft and cancelled campaigns never open by themselves', async (t) => {
  const clock = new SteppedClock('2026-12-01T06:00:00+09:00');
  const c = await scheduledCampaign(database.db, clock, 1000, 2 * 3600_000);
  await changeCampaignState({ db: database.db, clock }, system, c.id, 'cancel');
  clock.advance(3600_000);
  await createReconciler({ db: database.db, clock }, { logger }).runOnce();
  t.is(await stateOf(database.db, c.id), 'cancelled');
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

test.serial(
  'a slow transition hook (a close freezing a big roster) does not hold the audit chain',
  async (t) => {
    const clock = new SteppedClock('2026-12-01T07:59:58+09:00');
    const c = await scheduledCampaign(database.db, clock, 1000, 60_000);
    clock.advance(1000);
    let release!: () => void;
    let entered!: () => void;
    const hookEntered = new Promise<void>((r) => {
      entered = r;
    });
    const slowHook = async () => {
      entered();
      await new Promise<void>((r) => {
        release = r;
      });
    };
    const moving = advanceCampaigns({ db: database.db, clock }, [slowHook]);
    await hookEntered;
    // Another audited write while the hook is still working: it must not wait for the hook's transaction.
    const other = database.db.transaction((trx) =>
      appendAudit(trx, {
        at: clock.now(),
        actor: 'test',
        action: 'test.elsewhere',
        subject: 'test:1',
        data: {},
      }),
    );
    // Waiting for the hook would never end (the hook waits for us); 20 s only bounds a failing run.
    const finished = await Promise.race([
      other.then(() => 'audited'),
      new Promise((r) => setTimeout(() => r('blocked'), 20_000).unref()),
    ]);
    release();
    await moving;
    await other;
    t.is(finished, 'audited');
    t.is(await stateOf(database.db, c.id), 'open');
    t.deepEqual((await actionsFor(database.db, c.id)).slice(-1), ['campaign.opened']);
  },
);
