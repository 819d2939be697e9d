// The draw's wiring for the reconciler and the job queue: the transition hooks (commit at the opening,
// freeze at the close), the per-pass steps (draw what is due, expire unclaimed awards, send due pickup
// reminders), the BEACON_URL fetcher, and the graphile-worker task that sends the results.
import { EventEmitter } from 'node:events';
import { type Runner, run, type Task, Logger as WorkerLogger } from 'graphile-worker';
import { Gauge } from 'prom-client';
import type { TransitionHook } from '../commands/advanceCampaigns.js';
import type { NoticeEnv } from '../commands/awardNotices.js';
import { expireUnclaimedAwards } from '../commands/awards.js';
import type { DrawContext } from '../commands/drawContext.js';
import { drawDueCampaigns } from '../commands/drawDueCampaigns.js';
import { drawHooks } from '../commands/drawHooks.js';
import { sendDueReminders } from '../commands/reminders.js';
import { FANOUT_TASK, fanOutResults } from '../commands/resultFanout.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';

export function beaconMissingGauge(metrics: Metrics): DrawContext['metrics'] {
  const existing = metrics.registry.getSingleMetric('draw_beacon_missing') as Gauge<'campaign'> | undefined;
  const gauge =
    existing ??
    new Gauge({
      name: 'draw_beacon_missing',
      help: '1 while a campaign is due for its draw and its beacon value is not recorded',
      labelNames: ['campaign'],
      registers: [metrics.registry],
    });
  return { beaconMissing: gauge };
}

/**
 * BEACON_URL, with {closes_at} (ISO) and {closes_at_unix} filled in. A JSON answer gives its "randomness"
 * (drand's field) or "beacon"; any other 200 answer is used as text. Anything else: not available yet.
 */
export function createBeaconFetcher(
  template: string,
  timeoutMs: number,
): NonNullable<DrawContext['fetchBeacon']> {
  return async (c) => {
    const url = template
      .replaceAll('{closes_at}', encodeURIComponent(c.closes_at.toISOString()))
      .replaceAll('{closes_at_unix}', String(Math.floor(c.closes_at.getTime() / 1000)));
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, text/plain' },
    });
    if (!res.ok) return undefined;
    const text = (await res.text()).trim();
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const body = JSON.parse(text) as Record<string, unknown>;
      const v = body.randomness ?? body.beacon;
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    }
    return text === '' ? undefined : text;
  };
}

export function drawReconcilerParts(ctx: DrawContext & NoticeEnv): {
  hooks: TransitionHook[];
  steps: Array<{ name: string; run: () => Promise<unknown> }>;
} {
  return {
    hooks: drawHooks(ctx),
    steps: [
      { name: 'draw', run: () => drawDueCampaigns(ctx) },
      { name: 'expire-awards', run: () => expireUnclaimedAwards(ctx) },
      { name: 'pickup-reminders', run: () => sendDueReminders(ctx) },
    ],
  };
}

/**
 * A small graphile-worker runner for the draw's own task (the results fan-out). It is separate from the
 * notification worker so that neither has to know the other's task list; both read the same queue.
 */
export async function startDrawWorker(
  connectionString: string,
  ctx: Parameters<typeof fanOutResults>[0],
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const fanout: Task = async (payload, helpers) => {
    const { campaign_id } = payload as { campaign_id: string };
    const r = await fanOutResults(ctx, campaign_id, { signal: helpers.abortSignal });
    logger.info({ campaign: campaign_id, ...r }, 'draw results fan-out done');
  };
  const runner: Runner = await run({
    connectionString,
    concurrency: 1,
    maxPoolSize: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    events: new EventEmitter(),
    logger: new WorkerLogger(() => (level, message, meta) => {
      if (level === 'error') logger.error(meta ?? {}, message);
      else if (level === 'warning') logger.warn(meta ?? {}, message);
    }),
    taskList: { [FANOUT_TASK]: fanout },
  });
  return { stop: () => runner.stop() };
}
