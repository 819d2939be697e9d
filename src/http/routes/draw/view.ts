// What the public audit page and API show: commitments from the opening, the roster root from the close,
// the revealed secret, beacon, seed and results hash after the draw, and counts. No personal data.

import type { Db } from '../../../db/knex.js';
import { findAward } from '../../../db/repos/awards.js';
import { countsReady, type DrawCountRow, readDrawCounts } from '../../../db/repos/drawCounts.js';
import { type DrawRecord, findDraw } from '../../../db/repos/draws.js';
import type { Campaign } from '../../../domain/campaign.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DRAWN = new Set(['drawn', 'claiming', 'finished']);

export function isDrawn(c: Campaign, d: DrawRecord | undefined): d is DrawRecord {
  return Boolean(d?.results_hash) && DRAWN.has(c.state);
}

export async function auditView(db: Db, c: Campaign) {
  const d = await findDraw(db, c.id);
  const drawn = isDrawn(c, d);
  return {
    campaign: {
      id: c.id,
      title: { ko: c.title_ko, en: c.title_en },
      state: c.state,
      mode: c.mode,
      unit: c.unit,
    },
    draw: d
      ? {
          version: d.version,
          seed_commitment: d.seed_commitment,
          beacon_source: d.beacon_source,
          rules: JSON.parse(d.rules) as unknown,
          committed_at: iso(d.committed_at),
          roster_root: d.roster_root,
          roster_size: d.roster_size,
          frozen_at: iso(d.frozen_at),
          beacon: d.beacon,
          beacon_recorded_at: iso(d.beacon_recorded_at),
          // The secret is revealed only with the results: before the draw it would let anyone predict them.
          secret: drawn ? d.secret : null,
          seed: drawn ? d.seed : null,
          results_hash: drawn ? d.results_hash : null,
          drawn_at: drawn ? iso(d.drawn_at) : null,
        }
      : null,
    counts: drawn ? await storedCounts(db, c.id) : null,
    bundle_url: drawn ? `/api/campaigns/${c.id}/bundle.json` : null,
  };
}

/**
 * Counts by published outcome and group, and by current status, from draw_counts (stored by the draw job just
 * after the draw, and moved with each collection, expiry and promotion); null until they are stored.
 */
async function storedCounts(db: Db, campaignId: string) {
  if (!(await countsReady(db, campaignId))) return null;
  return summariseCounts(await readDrawCounts(db, campaignId));
}

export function summariseCounts(rows: readonly DrawCountRow[]) {
  const byOutcome = new Map<string, { outcome: string; group: string; count: number; amount: number }>();
  const byStatus = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.outcome}\u0000${r.group}`;
    const o = byOutcome.get(key) ?? { outcome: r.outcome, group: r.group, count: 0, amount: 0 };
    o.count += Number(r.count);
    o.amount += Number(r.amount);
    byOutcome.set(key, o);
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + Number(r.count));
  }
  return {
    by_outcome_and_group: [...byOutcome.values()],
    by_status: [...byStatus.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([status, count]) => ({ status, count })),
  };
}

export type ResultView = NonNullable<Awaited<ReturnType<typeof resultView>>>;

export async function resultView(db: Db, campaignId: string, publicId: string) {
  const a = await findAward(db, campaignId, publicId);
  if (!a) return undefined;
  const promoted = a.promoted_from_rank !== null;
  return {
    public_id: a.public_id,
    rank: a.rank,
    ticket: a.ticket,
    outcome: a.outcome,
    amount: Number(a.amount),
    site: a.site,
    slot: a.slot,
    waitlist: a.waitlist,
    status: a.status,
    claim_deadline: iso(a.claim_deadline),
    ...(promoted
      ? {
          promoted: {
            amount: Number(a.held_amount),
            site: a.held_site,
            slot: a.held_slot,
            from_rank: a.promoted_from_rank,
          },
        }
      : {}),
  };
}
