// Queries on award_reminders: one row per held award that is to be reminded, done once (sent or skipped).
import type { BirthDateSource, GroupSource } from '../../domain/facts.js';
import type { Trx } from '../knex.js';
import type { AwardRow } from './awards.js';

export interface NewReminder {
  campaign_id: string;
  public_id: string;
  remind_at: Date;
}

/** Schedules reminders; an award already scheduled keeps its row (a repeated fan-out batch changes nothing). */
export async function insertReminders(trx: Trx, rows: readonly NewReminder[]): Promise<void> {
  if (rows.length === 0) return;
  await trx('award_reminders').insert(rows).onConflict(['campaign_id', 'public_id']).ignore();
}

export interface DueReminder extends AwardRow {
  remind_at: Date;
  application_id: string;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  lang: string;
  group_name: string;
  group_source: GroupSource | null;
  birth_date_source: BirthDateSource | null;
}

/** Reminders due and not done, with their award and recipient, locked; a concurrent pass skips them. */
export async function lockDueReminders(trx: Trx, now: Date, limit: number): Promise<DueReminder[]> {
  const { rows } = await trx.raw(
    `SELECT a.*, m.remind_at, ap.id AS application_id, r.group_name, ap.group_source, ap.birth_date_source, ap.contact_channel, ap.contact_enc, ap.lang
       FROM award_reminders m
       JOIN awards a ON a.campaign_id = m.campaign_id AND a.public_id = m.public_id
       JOIN roster_entries r ON r.campaign_id = m.campaign_id AND r.public_id = m.public_id
       JOIN applications ap ON ap.id = r.application_id
      WHERE m.done_at IS NULL AND m.remind_at <= ?
      ORDER BY m.remind_at, m.campaign_id, m.public_id
      LIMIT ?
        FOR UPDATE OF m SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}

/** outcome: 'sent', or why not ('collected', 'expired', 'late', 'no_contact'). */
export async function markReminderDone(
  trx: Trx,
  r: { campaign_id: string; public_id: string },
  at: Date,
  outcome: string,
): Promise<void> {
  await trx('award_reminders')
    .where({ campaign_id: r.campaign_id, public_id: r.public_id })
    .whereNull('done_at')
    .update({ done_at: at, outcome });
}
