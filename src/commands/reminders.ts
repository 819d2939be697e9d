// Pickup reminders: each held award is reminded once, at 10:00 on the day before its pickup slot (or, for a
// voucher or a slot-less promotion, before its claim deadline) in the campaign's time zone; see
// domain/reminder.ts for why then. The results fan-out schedules the winners' reminders and a promotion
// schedules the promoted applicant's. Every instance's reconciler runs sendDueReminders each pass; a due row is
// locked (SKIP LOCKED) and marked done in the transaction that enqueues the notice, so exactly one instance
// sends it, once. An award collected or expired by then, or past its pickup window, is marked done unsent.
import type { Trx } from '../db/knex.js';
import { findCampaign } from '../db/repos/campaigns.js';
import { insertReminders, lockDueReminders, markReminderDone } from '../db/repos/reminders.js';
import type { Campaign } from '../domain/campaign.js';
import { reminderFor } from '../domain/reminder.js';
import {
  claimKeyOf,
  deadlineText,
  heldOf,
  loadPlaces,
  type NoticeEnv,
  nextStep,
  type PlaceInfo,
  prizeText,
  sendAwardNotice,
} from './awardNotices.js';
import { claimCodeFor } from './claimCodes.js';
import type { CommandContext } from './context.js';

export interface HeldPlace {
  public_id: string;
  slot: string;
  deadline: Date | null;
}

/** Schedules the reminders of awards granted at `grantedAt`, in the caller's transaction. */
export async function scheduleReminders(
  trx: Trx,
  c: Campaign,
  places: PlaceInfo,
  held: readonly HeldPlace[],
  grantedAt: Date,
): Promise<number> {
  const zone = c.time_zone;
  const rows = [];
  for (const h of held) {
    const target = places.slots.get(h.slot)?.starts_at ?? h.deadline;
    const at = target && reminderFor(target, zone, grantedAt);
    if (at) rows.push({ campaign_id: c.id, public_id: h.public_id, remind_at: at });
  }
  await insertReminders(trx, rows);
  return rows.length;
}

export interface ReminderSweep {
  sent: number;
  skipped: number;
}

/** One reconciler step: sends the reminders that are due, `batch` per transaction. */
export async function sendDueReminders(ctx: CommandContext & NoticeEnv, batch = 100): Promise<ReminderSweep> {
  const now = ctx.clock.now();
  const sweep: ReminderSweep = { sent: 0, skipped: 0 };
  const campaigns = new Map<string, { c: Campaign; places: PlaceInfo; key: Uint8Array }>();
  for (;;) {
    const n = await ctx.db.transaction(async (trx) => {
      const due = await lockDueReminders(trx, now, batch);
      for (const r of due) {
        let known = campaigns.get(r.campaign_id);
        if (!known) {
          const c = (await findCampaign(trx, r.campaign_id))!;
          known = { c, places: await loadPlaces(trx, c.id), key: await claimKeyOf(trx, ctx, c.id) };
          campaigns.set(c.id, known);
        }
        const outcome = await remindOne(ctx, trx, known, r, now);
        await markReminderDone(trx, r, now, outcome);
        if (outcome === 'sent') sweep.sent++;
        else sweep.skipped++;
      }
      return due.length;
    });
    if (n < batch) return sweep;
  }
}

async function remindOne(
  env: NoticeEnv,
  trx: Trx,
  { c, places, key }: { c: Campaign; places: PlaceInfo; key: Uint8Array },
  r: Awaited<ReturnType<typeof lockDueReminders>>[number],
  now: Date,
): Promise<string> {
  if (r.status !== 'won' && r.status !== 'promoted') return r.status; // collected or expired meanwhile
  const held = heldOf(r);
  const windowEnd = Math.min(
    places.slots.get(held.slot)?.ends_at.getTime() ?? Number.POSITIVE_INFINITY,
    r.claim_deadline?.getTime() ?? Number.POSITIVE_INFINITY,
  );
  if (now.getTime() >= windowEnd) return 'late';
  const lang = r.lang === 'en' ? 'en' : 'ko';
  const deadline = r.claim_deadline ?? c.claim_closes_at;
  const sent = await sendAwardNotice(
    env,
    trx,
    c,
    r,
    'pickup_reminder',
    {
      prize: prizeText(c, held.amount, lang),
      ...nextStep(c, places, { ...held, deadline, from: r.promoted_at ?? undefined }, lang),
      deadline: deadlineText(c, deadline, lang),
      claim_code: c.kind === 'goods' ? claimCodeFor(key, r.application_id) : '', // a voucher is paid, not shown
    },
    `pickup_reminder:${r.application_id}`,
  );
  return sent ? 'sent' : 'no_contact';
}
