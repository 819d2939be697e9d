// The draw itself: load the frozen roster and the committed rules, runDraw, and persist every result, the
// revealed secret, the seed, the results hash, the state change and the audit entry in ONE transaction,
// conditional on the campaign still being 'closed'. A second run finds it 'drawn' and changes nothing; a
// process killed mid-way rolls back, and the next run computes the same bytes from the same inputs.
import { appendAudit } from '../audit/log.js';
import { copyAwards } from '../db/repos/awards.js';
import { lockClosedCampaign, transitionCampaign } from '../db/repos/campaigns.js';
import { enqueueResultFanout } from '../db/repos/drawJobs.js';
import { lockDraw, setDrawOutcome } from '../db/repos/draws.js';
import { loadRosterFile } from '../db/repos/roster.js';
import { claimDeadline } from '../domain/campaign.js';
import { drawColumns, fromHex, validateRules } from '../domain/draw/index.js';
import { decryptText, encryptText } from '../identity/crypto.js';
import { claimKeyAad } from './claimCodes.js';
import type { DrawContext } from './drawContext.js';
import { secretAad } from './drawHooks.js';

export interface DrawOutcome {
  campaign_id: string;
  results_hash: string;
  seed: string;
  won: number;
  waitlisted: number;
}

export interface DrawOptions {
  /** called after everything is written, before the commit (tests kill or abort the process here) */
  beforeCommit?: () => Promise<void>;
  /** called at the end of each phase (the benchmark's breakdown) */
  mark?: (phase: string) => void;
}

/** Runs the draw of one campaign if it is closed and has its beacon; undefined when there is nothing to do. */
export async function drawCampaign(
  ctx: DrawContext,
  campaignId: string,
  opts: DrawOptions = {},
): Promise<DrawOutcome | undefined> {
  return ctx.db.transaction(async (trx) => {
    const c = await lockClosedCampaign(trx, campaignId);
    if (!c) return undefined; // drawn already, or not ours to draw
    const draw = await lockDraw(trx, campaignId);
    if (!draw?.beacon || !draw.roster_root) return undefined;
    const now = ctx.clock.now();
    const secret = fromHex(decryptText(ctx.secrets, draw.secret_enc, secretAad(campaignId)));
    const rules = validateRules(JSON.parse(draw.rules));
    // Read into the engine's columns against these very rules (a RosterFile): no object per entry.
    const roster = await loadRosterFile(trx, campaignId, rules, draw.roster_size ?? undefined);
    opts.mark?.('load roster');
    // Columns, not runDraw's 1M Result objects: the awards are written straight from them (GC, memory).
    const drawn = drawColumns({
      campaign: { id: c.id, title: c.title_ko },
      rules,
      roster,
      secret,
      beacon: draw.beacon,
    });
    const bundle = drawn.bundleFields;
    opts.mark?.('runDraw');
    if (bundle.roster_root !== draw.roster_root) {
      throw new Error(
        `campaign ${c.id}: the roster root changed since the close (${draw.roster_root} -> ${bundle.roster_root})`,
      );
    }
    await copyAwards(trx, c.id, drawn.walker(), claimDeadline(c, now));
    opts.mark?.('insert awards (COPY, indexes, ANALYZE, attach)');
    const claimKey = ctx.random.bytes(32);
    await setDrawOutcome(trx, c.id, {
      secret: bundle.secret,
      seed: bundle.seed,
      results_hash: bundle.results_hash,
      drawn_at: now,
      claim_key_enc: encryptText(ctx.secrets, claimKey.toString('hex'), claimKeyAad(c.id)),
    });
    if (!(await transitionCampaign(trx, c.id, ['closed'], 'drawn', now)))
      throw new Error('lost the campaign lock');
    const won = drawn.won;
    const outcome = {
      campaign_id: c.id,
      results_hash: bundle.results_hash,
      seed: bundle.seed,
      won,
      waitlisted: drawn.columns.length - won,
    };
    await appendAudit(trx, {
      at: now,
      actor: 'system:reconciler',
      action: 'draw.executed',
      subject: `campaign:${c.id}`,
      data: {
        version: bundle.version,
        roster_root: bundle.roster_root,
        roster_size: drawn.columns.length,
        beacon: bundle.beacon,
        seed: bundle.seed,
        results_hash: bundle.results_hash,
        won,
        waitlisted: outcome.waitlisted,
      },
    });
    // One job, not a million notices: the job sends them in batches after the commit.
    await enqueueResultFanout(trx, c.id);
    await opts.beforeCommit?.();
    opts.mark?.('outcome, audit, job');
    return outcome;
  });
}
