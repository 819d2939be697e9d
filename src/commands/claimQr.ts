// The payload of a winner's QR code: a signed claim token (claimTokens.ts) for the award as it is held now
// (a promoted applicant's token names the site and slot passed down to them). The winner's page renders it.
import type { Clock } from '../clock.js';
import type { Db } from '../db/knex.js';
import type { CounterAward } from '../db/repos/counterAwards.js';
import type { Campaign } from '../domain/campaign.js';
import type { IdentitySecrets } from '../identity/crypto.js';
import { heldOf } from './awardNotices.js';
import { claimSigner, signClaimToken } from './claimTokens.js';
import { counterFactsOf } from './counterFacts.js';

/**
 * The QR payload for an award still to be collected, or undefined (waitlisted, collected, expired, refused).
 * Takes the award as already read with its slot's times (findCounterAward): the page reads it once.
 */
export async function claimQrPayload(
  ctx: { db: Db; secrets: IdentitySecrets & { claimSigningKey: Uint8Array }; clock: Clock },
  c: Campaign,
  a: CounterAward,
): Promise<string | undefined> {
  if ((a.status !== 'won' && a.status !== 'promoted') || !a.claim_deadline) return undefined;
  const held = heldOf(a);
  return signClaimToken(
    await claimSigner(ctx.secrets),
    {
      campaign_id: c.id,
      public_id: a.public_id,
      site: held.site,
      slot: held.slot,
      amount: held.amount,
      unit: c.unit,
      from: a.held_slot_starts_at ?? a.promoted_at ?? c.claim_opens_at,
      deadline: a.claim_deadline,
      checks: (await counterFactsOf(ctx, c, a.public_id)) ?? [],
    },
    ctx.clock.now(),
  );
}
