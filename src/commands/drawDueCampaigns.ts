// The reconciler's draw step: every closed lottery whose draw time has come gets its draw job once its beacon
// is recorded (fetched from BEACON_URL when configured); the draw worker runs it (drawJobs.ts). While the
// beacon is missing, admins are alerted: a warning in the log, a metric, a banner on the admin draw page, and
// one audit entry.
import { appendAudit } from '../audit/log.js';
import { enqueueDraw } from '../db/repos/drawJobs.js';
import { findCampaignCloseTime, listDueDraws, markBeaconMissing } from '../db/repos/draws.js';
import { DomainError } from '../domain/errors.js';
import type { DrawContext } from './drawContext.js';
import { recordBeacon } from './recordBeacon.js';

export interface DrawPass {
  /** campaigns whose draw job was enqueued (or was already queued) */
  enqueued: string[];
  waitingForBeacon: string[];
}

/** What the step remembers between passes, per reconciler: when it last warned and last fetched, per campaign. */
export interface BeaconWatch {
  lastWarned: Map<string, number>;
  lastFetched: Map<string, number>;
}

export const newBeaconWatch = (): BeaconWatch => ({ lastWarned: new Map(), lastFetched: new Map() });

const FETCH_EVERY_MS = 10_000;

export async function drawDueCampaigns(ctx: DrawContext, watch: BeaconWatch): Promise<DrawPass> {
  const now = ctx.clock.now();
  const pass: DrawPass = { enqueued: [], waitingForBeacon: [] };
  for (const due of await listDueDraws(ctx.db, now)) {
    let beacon = due.beacon;
    // At most one fetch per campaign every 10 s per reconciler: it passes every second.
    const lastFetch = watch.lastFetched.get(due.id) ?? Number.NEGATIVE_INFINITY;
    if (!beacon && ctx.fetchBeacon && now.getTime() - lastFetch >= FETCH_EVERY_MS) {
      watch.lastFetched.set(due.id, now.getTime());
      const c = await findCampaignCloseTime(ctx.db, due.id);
      const fetched = c
        ? await ctx.fetchBeacon(c).catch((err) => {
            ctx.logger?.warn({ err, campaign: due.id }, 'fetching the beacon failed; retrying in 10 s');
            return undefined;
          })
        : undefined;
      if (fetched) {
        try {
          beacon = (await recordBeacon(ctx, { kind: 'system', name: 'beacon' }, due.id, fetched)).beacon;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          // not of the kind the campaign's source names: BEACON_URL and the source disagree, an operator's to mend
          if (err.code === 'validation_failed')
            ctx.logger?.warn(
              { campaign: due.id, fetched, problems: err.problems },
              'the fetched beacon is not of the kind its source names; not recorded',
            );
          beacon = null; // someone else recorded it meanwhile, or the campaign moved: the next pass sees
        }
      }
    }
    if (!beacon) {
      pass.waitingForBeacon.push(due.id);
      ctx.metrics?.beaconMissing?.set({ campaign: due.id }, 1);
      const first = await ctx.db.transaction(async (trx) => {
        if (!(await markBeaconMissing(trx, due.id, now))) return false;
        await appendAudit(trx, {
          at: now,
          actor: 'system:reconciler',
          action: 'draw.beacon_missing',
          subject: `campaign:${due.id}`,
          data: { message: 'The draw time has come but no beacon value is recorded' },
        });
        return true;
      });
      // Warn at once and then once a minute, not on every one-second pass.
      const last = watch.lastWarned.get(due.id) ?? 0;
      if (first || now.getTime() - last >= 60_000) {
        watch.lastWarned.set(due.id, now.getTime());
        ctx.logger?.warn(
          { campaign: due.id, since: due.beacon_missing_since ?? now },
          'the draw is due but its beacon value is missing; an admin must record it',
        );
      }
      continue;
    }
    ctx.metrics?.beaconMissing?.set({ campaign: due.id }, 0);
    watch.lastWarned.delete(due.id);
    watch.lastFetched.delete(due.id);
    await enqueueDraw(ctx.db, due.id);
    pass.enqueued.push(due.id);
  }
  return pass;
}
