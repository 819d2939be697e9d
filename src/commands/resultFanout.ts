// Results reach people: the draw enqueues ONE job (in its own transaction); the job walks the results in rank
// order and enqueues each applicant's notice in batches, each batch in its own transaction together with the
// progress mark. Dedupe keys `result:<application id>` make a retried or repeated batch send nothing twice.
// Each batch also schedules its winners' pickup reminders (reminders.ts), and before the first batch the
// public counts are stored if the draw job has not (storeDrawCounts.ts).
// Each winner's claim code is indexed (claimCodeIndex.ts) as it is sent, so the counter can find it.
import { findCampaign } from '../db/repos/campaigns.js';
import { type IndexedCode, indexClaimCodes } from '../db/repos/claimCodeIndex.js';
import { findDraw, setNotifiedThrough } from '../db/repos/draws.js';
import { listResultRecipients } from '../db/repos/recipients.js';
import { fromHex } from '../domain/draw/index.js';
import { decryptText } from '../identity/crypto.js';
import type { NoticeEnv } from './awardNotices.js';
import { loadPlaces, nextStep, prizeText, sendAwardNotice } from './awardNotices.js';
import { claimCodeDigest, claimCodeFor, claimKeyAad } from './claimCodes.js';
import type { CommandContext } from './context.js';
import { type HeldPlace, scheduleReminders } from './reminders.js';
import { storeDrawCounts } from './storeDrawCounts.js';

export interface FanoutResult {
  batches: number;
  notices: number;
}

/** Sends every result notice of a drawn campaign, resuming after the last batch that committed. */
export async function fanOutResults(
  ctx: CommandContext & NoticeEnv,
  campaignId: string,
  opts: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<FanoutResult> {
  const batchSize = opts.batchSize ?? 500;
  const c = await findCampaign(ctx.db, campaignId);
  const draw = await findDraw(ctx.db, campaignId);
  if (!c || !draw?.claim_key_enc) return { batches: 0, notices: 0 };
  const claimKey = fromHex(decryptText(ctx.secrets, draw.claim_key_enc, claimKeyAad(campaignId)));
  const places = await loadPlaces(ctx.db, campaignId);
  await storeDrawCounts(ctx, campaignId); // normally stored by the draw job already
  // With no passing down, a place on the waitlist means nothing: those applicants are told they were not selected.
  const waitlistUsed = c.unclaimed_policy === 'pass_down';
  let after = draw.notified_through_rank;
  const out: FanoutResult = { batches: 0, notices: 0 };
  for (;;) {
    opts.signal?.throwIfAborted();
    const done = await ctx.db.transaction(async (trx) => {
      const rows = await listResultRecipients(trx, campaignId, after, batchSize);
      if (rows.length === 0) return true;
      const winners: HeldPlace[] = [];
      const codes: IndexedCode[] = [];
      for (const r of rows) {
        const lang = r.lang === 'en' ? 'en' : 'ko';
        const dedupe = `result:${r.application_id}`;
        let sent: boolean;
        if (r.outcome === 'won') {
          // a voucher is paid for on the site, never shown at a counter: no code to tell or to find
          const code = c.kind === 'goods' ? claimCodeFor(claimKey, r.application_id) : '';
          if (code)
            codes.push({
              digest: claimCodeDigest(ctx.secrets, code),
              campaign_id: c.id,
              public_id: r.public_id,
            });
          const amount = Number(r.amount);
          const place = nextStep(
            c,
            places,
            { amount, site: r.site, slot: r.slot, deadline: r.claim_deadline },
            lang,
          );
          sent = await sendAwardNotice(
            ctx,
            trx,
            c,
            r,
            'result_won',
            {
              prize: prizeText(c, amount, lang),
              ...place,
              claim_code: code,
              rank: r.rank,
            },
            dedupe,
          );
          winners.push({ public_id: r.public_id, slot: r.slot, deadline: r.claim_deadline });
        } else if (waitlistUsed) {
          sent = await sendAwardNotice(ctx, trx, c, r, 'result_waitlisted', { rank: r.waitlist }, dedupe);
        } else {
          sent = await sendAwardNotice(ctx, trx, c, r, 'result_lost', {}, dedupe);
        }
        if (sent) out.notices++;
      }
      await scheduleReminders(trx, c, places, winners, draw.drawn_at ?? ctx.clock.now());
      // The counter finds a typed code by this index: written with the notice that tells the code.
      await indexClaimCodes(trx, codes);
      after = rows[rows.length - 1]!.rank;
      await setNotifiedThrough(trx, campaignId, after);
      out.batches++;
      return rows.length < batchSize;
    });
    if (done) return out;
  }
}
