// Recording the beacon value after the close: by an admin, or by the reconciler from BEACON_URL. Exactly once. The
// value must be of the kind the source named at the opening says (domain/beacon.ts); the admin page shows what would
// be recorded first (previewBeacon) and records it only when confirmed.
import { appendAudit } from '../audit/log.js';
import type { Db, Trx } from '../db/knex.js';
import { findCampaign, lockCampaign } from '../db/repos/campaigns.js';
import { type DrawRecord, findDraw, lockDraw, setBeaconOnce } from '../db/repos/draws.js';
import { inTransaction } from '../db/transaction.js';
import { beaconFormatOf, checkBeacon } from '../domain/beacon.js';
import type { Campaign } from '../domain/campaign.js';
import { DomainError, validationFailed } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

/** A beacon as it would be recorded, and the source it answers. */
export interface BeaconToRecord {
  beacon: string;
  source: string;
}

/**
 * Every check a recording makes, in order, on the campaign and its draw as read: a lottery's or a reservation's,
 * not recorded yet, past the close with its roster frozen, and the value of the kind its source names.
 */
function toRecord(c: Campaign | undefined, draw: DrawRecord | undefined, value: string): BeaconToRecord {
  if (!c || (c.mode !== 'lottery' && c.mode !== 'reservation')) {
    throw new DomainError('not_found', 'No such lottery campaign');
  }
  if (draw?.beacon) {
    throw new DomainError('beacon_already_recorded', 'The beacon value is already recorded', {
      details: { beacon: draw.beacon, recorded_at: draw.beacon_recorded_at },
    });
  }
  if (c.state !== 'closed' || !draw?.roster_root) {
    throw new DomainError(
      'beacon_too_early',
      'The beacon can be recorded only after the application window has closed',
      { details: { state: c.state } },
    );
  }
  const checked = checkBeacon(beaconFormatOf(draw.beacon_source), value);
  if (!checked.ok) throw validationFailed(checked.problems);
  return { beacon: checked.value, source: draw.beacon_source };
}

/** An empty or overlong value is refused before anything is read, whatever the campaign. */
function shapeChecked(value: string): void {
  const checked = checkBeacon('text', value);
  if (!checked.ok) throw validationFailed(checked.problems);
}

/** What recording `value` would record, refused as recordBeacon would refuse it, with nothing written. */
export async function previewBeacon(db: Db, campaignId: string, value: string): Promise<BeaconToRecord> {
  shapeChecked(value);
  const [c, draw] = await Promise.all([findCampaign(db, campaignId), findDraw(db, campaignId)]);
  return toRecord(c, draw, value);
}

export async function recordBeacon(
  ctx: CommandContext,
  actor: Actor,
  campaignId: string,
  value: string,
): Promise<{ beacon: string }> {
  shapeChecked(value);
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (trx: Trx) => {
    // The campaign row first, then the draw row: the draw takes them in the same order.
    const c = await lockCampaign(trx, campaignId);
    const { beacon } = toRecord(c, c ? await lockDraw(trx, campaignId) : undefined, value);
    if (!(await setBeaconOnce(trx, campaignId, beacon, actorLabel(actor), now))) {
      throw new DomainError('beacon_already_recorded', 'The beacon value is already recorded');
    }
    await appendAudit(trx, {
      at: now,
      actor: actorLabel(actor),
      action: 'draw.beacon_recorded',
      subject: `campaign:${campaignId}`,
      data: { beacon },
    });
    return { beacon };
  });
}
