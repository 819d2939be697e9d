// The payload of a winner's QR code: a signed claim token (claimTokens.ts) for the award as it is held now
// (a promoted applicant's token names the site and slot passed down to them). The winner's page renders it.
import type { Clock } from '../clock.js';
import type { Db } from '../db/knex.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { findCounterAward } from '../db/repos/counterAwards.js';
import { findCampaignSlot } from '../db/repos/slots.js';
import type { IdentitySecrets } from '../identity/crypto.js';
import { heldOf } from './awardNotices.js';
import { claimSigner, signClaimToken } from './claimTokens.js';
import { counterFactsFor } from './counterFacts.js';

/** The QR payload for an award still to be collected, or undefined (waitlisted, collected, expired, refused). */
export async function claimQrPayload(
  ctx: { db: Db; secrets: IdentitySecrets & { claimSigningKey: Uint8Array }; clock: Clock },
  campaignId: string,
  publicId: string,
): Promise<string | undefined> {
  const [c, a] = await Promise.all([
    findCampaign(ctx.db, campaignId),
    findCounterAward(ctx.db, campaignId, publicId),
  ]);
  if (!c || !a || (a.status !== 'won' && a.status !== 'promoted') || !a.claim_deadline) return undefined;
  const held = heldOf(a);
  const slot = held.slot ? await findCampaignSlot(ctx.db, c.id, held.slot) : undefined;
  return signClaimToken(
    await claimSigner(ctx.secrets),
    {
      campaign_id: c.id,
      public_id: a.public_id,
      site: held.site,
      slot: held.slot,
      amount: held.amount,
      unit: c.unit,
      from: slot?.starts_at ?? a.promoted_at ?? c.claim_opens_at,
      deadline: a.claim_deadline,
      checks: (await counterFactsFor(ctx, c.id, a.public_id)) ?? [],
    },
    ctx.clock.now(),
  );
}
