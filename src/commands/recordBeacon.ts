// Recording the beacon value after the close: by an admin, or by the reconciler from BEACON_URL. Exactly once.
import { appendAudit } from '../audit/log.js';
import { lockCampaign } from '../db/repos/campaigns.js';
import { lockDraw, setBeaconOnce } from '../db/repos/draws.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError } from '../domain/errors.js';
import { type Actor, actorLabel, type CommandContext } from './context.js';

export const BEACON_MAX_LENGTH = 1000;

export async function recordBeacon(
  ctx: CommandContext,
  actor: Actor,
  campaignId: string,
  value: string,
): Promise<{ beacon: string }> {
  const beacon = value.normalize('NFC').trim();
  if (beacon === '' || beacon.length > BEACON_MAX_LENGTH) {
    throw new DomainError('validation_failed', 'Some fields are not valid', {
      fields: { beacon: `The beacon value must be 1 to ${BEACON_MAX_LENGTH} characters` },
    });
  }
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (trx) => {
    // The campaign row first, then the draw row: the draw takes them in the same order.
    const c = await lockCampaign(trx, campaignId);
    if (!c || (c.mode !== 'lottery' && c.mode !== 'reservation')) {
      throw new DomainError('not_found', 'No such lottery campaign');
    }
    const draw = await lockDraw(trx, campaignId);
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
