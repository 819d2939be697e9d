// What the public audit page and API show: commitments from the opening, the roster root from the close,
// the revealed secret, beacon, seed and results hash after the draw, and counts. No personal data.

import type { Db } from '../../../db/knex.js';
import { countByOutcomeAndGroup, countByStatus, findAward } from '../../../db/repos/awards.js';
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
    counts: drawn
      ? {
          by_outcome_and_group: await countByOutcomeAndGroup(db, c.id),
          by_status: await countByStatus(db, c.id),
        }
      : null,
    bundle_url: drawn ? `/api/campaigns/${c.id}/bundle.json` : null,
  };
}

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
