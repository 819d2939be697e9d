// Every second (and once at start-up) move campaigns whose time has come; a late or missed tick only delays, never skips.
import cron from 'node-cron';
import { advanceCampaigns, type TransitionHook } from '../commands/advanceCampaigns.js';
import type { CommandContext } from '../commands/context.js';
import { nextDueMoment } from '../db/repos/campaigns.js';
import { TIMED_TRANSITIONS } from '../domain/campaign.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/registry.js';

export interface Reconciler {
  /**
   * A pass that begins no earlier than this call: the transitions, then each step (now, or right after its run in
   * flight); resolves when they are done, or at once with no pass once stopped.
   */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A run that begins no earlier than its call (now, or right after the one in flight); calls during one run share the
 * run after it, so under load runs go back to back, one at a time. A call asked at `asked` (the reconciler's count
 * of passes asked for) is also answered by a run that began after it was asked: two passes asked during one run of
 * the transitions make one run of each step, not two. None starts once `stopped()`.
 */
function oneAtATime(run: () => Promise<void>, stopped: () => boolean, asks: () => number) {
  let running: Promise<void> | undefined;
  let runningFrom = 0;
  let next: Promise<void> | undefined;
  const call = (asked: number): Promise<void> => {
    if (stopped()) return Promise.resolve();
    if (running && runningFrom >= asked) return running;
    if (!running) {
      runningFrom = asks();
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    }
    const after = () => {
      next = undefined;
      return call(asked); // nothing once stopped
    };
    next ??= running.then(after, after);
    return next;
  };
  return { call, settled: () => Promise.all([running, next]) };
}

/** More work each pass, after the transitions; steps of one `lane` run one after another, each lane on its own. */
export interface ReconcilerStep {
  name: string;
  /** steps sharing it run in order in one lane; a step without one has its own */
  lane?: string;
  run: () => Promise<unknown>;
}

export function createReconciler(
  ctx: CommandContext,
  opts: {
    logger: Logger;
    metrics?: Metrics;
    cron?: string;
    hooks?: TransitionHook[];
    /** more work each pass, after the transitions (the draw, award expiry); a failing step does not stop the others */
    steps?: ReconcilerStep[];
  },
): Reconciler {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const isStopped = () => stopped;
  let asks = 0;
  const asked = () => asks;
  // The per-second tick alone lands up to a second late; a timer armed for the next moment lands within milliseconds.
  const armForNextMoment = async () => {
    const now = ctx.clock.now().getTime();
    const next = await nextDueMoment(ctx.db, TIMED_TRANSITIONS, ctx.clock.now());
    if (!next || stopped) return;
    const wait = next.getTime() - now;
    if (wait > 1500) return; // a later tick will arm it
    clearTimeout(timer);
    timer = setTimeout(() => void runOnce(), Math.max(0, wait));
    timer.unref();
  };
  // Transitions never overlap. A call during one gets one more after it, not the one in flight: that one may have
  // read the campaigns before the moment the call is for (the armed timer firing while a tick's pass ran left an
  // opening to the next tick, a second later).
  const transitions = oneAtATime(
    async () => {
      try {
        const moved = await advanceCampaigns(ctx, opts.hooks ?? []);
        const now = ctx.clock.now().getTime();
        for (const { campaign, transition } of moved) {
          const lagMs = now - campaign[transition.at].getTime();
          opts.metrics?.reconcilerLag.set(lagMs / 1000);
          opts.logger.info(
            {
              campaign: campaign.id,
              code: campaign.code,
              from: transition.from,
              to: transition.to,
              lag_ms: lagMs,
            },
            transition.action,
          );
        }
        opts.metrics?.reconcilerLastRun.set(now / 1000);
        if (opts.cron) await armForNextMoment();
      } catch (err) {
        opts.logger.error({ err }, 'reconciler pass failed; the next tick retries');
      }
    },
    isStopped,
    asked,
  );
  // Each lane of steps on its own, run after the transitions of the pass that calls it: a slow lane delays only its
  // own next run. In one lane, payments that took 22 s to reconcile after a rush held the instant sales' per-second
  // admission, and their holds, for those 22 s.
  const byLane = new Map<string, ReconcilerStep[]>();
  for (const step of opts.steps ?? []) {
    const lane = step.lane ?? step.name;
    if (!byLane.has(lane)) byLane.set(lane, []);
    byLane.get(lane)!.push(step);
  }
  const lanes = [...byLane].map(([lane, steps]) =>
    oneAtATime(
      async () => {
        for (const step of steps) {
          try {
            await step.run();
          } catch (err) {
            opts.logger.error({ err, step: step.name }, 'reconciler step failed; the next tick retries');
          }
        }
        opts.metrics?.reconcilerLaneLastRun.labels(lane).set(ctx.clock.now().getTime() / 1000);
      },
      isStopped,
      asked,
    ),
  );
  const runOnce = async (): Promise<void> => {
    const ask = ++asks;
    await transitions.call(ask);
    await Promise.all(lanes.map((lane) => lane.call(ask)));
  };
  const task = opts.cron
    ? // runOnce already keeps passes from overlapping; node-cron's own overlap guard would only print warnings.
      cron.schedule(opts.cron, () => runOnce(), { name: 'reconciler' })
    : undefined;
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await task?.stop();
      await task?.destroy();
      await Promise.all([transitions.settled(), ...lanes.map((lane) => lane.settled())]);
    },
  };
}
