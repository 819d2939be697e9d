// A resident's own result after the draw, for the result page, its API and SMS STATUS: what they hold, where
// and when to collect it, the claim code (and what the QR carries), what to bring, or their waitlist place.

import { type RandomSource, uniformOf } from '../crypto/random.js';
import type { Application } from '../db/repos/applications.js';
import { findCounterAward } from '../db/repos/counterAwards.js';
import type { Site } from '../db/repos/sites.js';
import type { Campaign } from '../domain/campaign.js';
import {
  type BringItem,
  heldOf,
  mapUrl,
  type ResultKind,
  resultKind,
  resultPollAfterMs,
  resultsPublished,
  whatToBring,
} from '../domain/result.js';
import { claimKeyOf, type NoticeEnv } from './awardNotices.js';
import type { CampaignRules } from './campaignRules.js';
import { claimCodeFor } from './claimCodes.js';
import { claimQrPayload } from './claimQr.js';
import type { CommandContext } from './context.js';
import type { IntakeContext } from './intakeContext.js';

export interface ResidentResult {
  kind: ResultKind;
  public_id: string;
  campaign_id: string;
  /** what the person holds (won, collected, expired), in the campaign's unit */
  amount: number | null;
  unit: 'KRW' | 'item';
  /** the award was passed down from the waitlist */
  promoted: boolean;
  site: (Site & { map_url: string | null }) | null;
  slot: { id: string; starts_at: string; ends_at: string } | null;
  /** promoted after the site's slots had passed: collect any time the site is open until the deadline */
  any_time_until_deadline: boolean;
  claim_deadline: string | null;
  /** only while goods can still be collected at a counter; null for a voucher (paid for on the site) */
  claim_code: string | null;
  /** what the QR on the page carries: the signed claim token (claimTokens.ts); null where claim_code is */
  qr_payload: string | null;
  bring: BringItem[];
  /** the published waitlist number (1 = first), for waitlisted and lost */
  waitlist: number | null;
  collected_at: string | null;
  expired_at: string | null;
  claim_closes_at: string;
  audit_url: string;
}

/** Before the results are out: when the draw is due, and when to look again (resultPollAfterMs). */
export interface ResultWait {
  draw_at: string;
  poll_after_ms: number;
}

export function resultWait(
  ctx: Pick<CommandContext, 'clock'> & { random: RandomSource },
  c: Pick<Campaign, 'draw_at'>,
): ResultWait {
  const msToDraw = new Date(c.draw_at).getTime() - ctx.clock.now().getTime();
  return {
    draw_at: new Date(c.draw_at).toISOString(),
    poll_after_ms: resultPollAfterMs(msToDraw, uniformOf(ctx.random)),
  };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** undefined before the results are published (the receipt is still what the person sees). */
export async function residentResult(
  ctx: CommandContext &
    NoticeEnv & { secrets: { claimSigningKey?: Uint8Array } } & Pick<IntakeContext, 'counterAwards'>,
  rules: CampaignRules,
  a: Pick<Application, 'id' | 'public_id' | 'group_name' | 'birth_date_source' | 'group_source'>,
): Promise<ResidentResult | undefined> {
  const c: Campaign = rules.campaign;
  if (!resultsPublished(c)) return undefined;
  // One read: the award with its held slot's times (and, for a winner, what the QR's token carries).
  const award = await (ctx.counterAwards
    ? ctx.counterAwards({ campaign_id: c.id, public_id: a.public_id })
    : findCounterAward(ctx.db, c.id, a.public_id));
  const kind = resultKind(award, c);
  const held = award ? heldOf(award) : undefined;
  const holds = kind === 'won' || kind === 'collected' || kind === 'expired' || kind === 'refused';
  const site = holds && held?.site ? rules.sites.find((s) => s.id === held.site) : undefined;
  const slotStarts = holds && held?.slot ? award?.held_slot_starts_at : undefined;
  // Only goods are shown at a counter: a voucher winner pays on the site (campaign.ts: slots_voucher_none), so
  // their award has no code to type and no token to scan, and neither the claim key nor the signing key is used.
  const atCounter = kind === 'won' && c.kind === 'goods';
  const claimCode = atCounter ? claimCodeFor(await claimKeyOf(ctx.db, ctx, c.id), a.id) : null;
  const signingKey = ctx.secrets.claimSigningKey;
  return {
    kind,
    public_id: a.public_id,
    campaign_id: c.id,
    amount: holds && held ? held.amount : null,
    unit: c.unit,
    promoted: Boolean(held?.promoted),
    site: site ? { ...site, map_url: mapUrl(site) ?? null } : null,
    slot:
      held && slotStarts
        ? { id: held.slot, starts_at: iso(slotStarts)!, ends_at: iso(award?.held_slot_ends_at)! }
        : null,
    any_time_until_deadline: Boolean(site && !slotStarts),
    claim_deadline: holds ? iso(award?.claim_deadline) : null,
    claim_code: claimCode,
    // The signed claim token a counter checks offline; the typed code where no signing key is configured.
    qr_payload:
      atCounter && award
        ? ((signingKey &&
            (await claimQrPayload(
              { db: ctx.db, clock: ctx.clock, secrets: { ...ctx.secrets, claimSigningKey: signingKey } },
              c,
              award,
            ))) ??
          claimCode)
        : null,
    bring:
      kind === 'won'
        ? whatToBring(c, {
            group: a.group_name,
            birthDateSource: a.birth_date_source,
            groupSource: a.group_source,
          })
        : [],
    waitlist: award && award.outcome === 'waitlisted' ? award.waitlist : null,
    collected_at: iso(award?.collected_at),
    expired_at: iso(award?.expired_at),
    claim_closes_at: c.claim_closes_at.toISOString(),
    audit_url: `/campaigns/${c.id}/audit?public_id=${encodeURIComponent(a.public_id)}#lookup`,
  };
}
