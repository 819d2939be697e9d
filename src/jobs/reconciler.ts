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
   * A pass that begins no earlier than this call (now, or right after the one in flight); resolves when it is done,
   * or at once with no pass once stopped.
   */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function createReconciler(
  ctx: CommandContext,
  opts: {
    logger: Logger;
    metrics?: Metrics;
    cron?: string;
    hooks?: TransitionHook[];
    /** more work each pass, after the transitions (the draw, award expiry); a failing step does not stop the others */
    steps?: Array<{ name: string; run: () => Promise<unknown> }>;
  },
): Reconciler {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
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
  const pass = async () => {
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
      for (const step of opts.steps ?? []) {
        try {
          await step.run();
        } catch (err) {
          opts.logger.error({ err, step: step.name }, 'reconciler step failed; the next tick retries');
        }
      }
      opts.metrics?.reconcilerLastRun.set(now / 1000);
      if (opts.cron) await armForNextMoment();
    } catch (err) {
      opts.logger.error({ err }, 'reconciler pass failed; the next tick retries');
    }
  };
  // Passes never overlap. A call during a pass gets one more pass after it, not the one in flight: that pass may
  // have read the campaigns before the moment the call is for (the armed timer firing while a tick's pass runs
  // left an opening to the next tick, a second later). Calls during one pass share the one after it, so under load
  // (a pass longer than the tick) passes run back to back, one at a time: the instant sales' admission, a step of
  // the pass, does not sit out the rest of a tick.
  let next: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!running) {
      running = pass().finally(() => {
        running = undefined;
      });
      return running;
    }
    const after = () => {
      next = undefined;
      return runOnce(); // nothing once stopped
    };
    next ??= running.then(after, after);
    return next;
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
      await Promise.all([running, next]);
    },
  };
}
