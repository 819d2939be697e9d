// Who hears about an award: the application behind a roster entry, with its sealed contact and what it says
// about the person's group and birth date (what to bring to the counter).
import type { BirthDateSource, GroupSource } from '../../domain/facts.js';
import type { Trx } from '../knex.js';

export interface Recipient {
  application_id: string;
  public_id: string;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  lang: string;
  /** the priority group applied under and how it and the birth date were established: what to bring */
  group_name?: string;
  group_source?: GroupSource | null;
  birth_date_source?: BirthDateSource | null;
}

export async function findRecipient(
  trx: Trx,
  campaignId: string,
  publicId: string,
): Promise<Recipient | undefined> {
  const { rows } = await trx.raw(
    `SELECT ap.id AS application_id, r.public_id, r.group_name, ap.group_source, ap.birth_date_source,
            ap.contact_channel, ap.contact_enc, ap.lang
       FROM roster_entries r JOIN applications ap ON ap.id = r.application_id
      WHERE r.campaign_id = ? AND r.public_id = ?`,
    [campaignId, publicId],
  );
  return rows[0];
}

/** A drawn result and who hears about it, for the results fan-out. */
export interface ResultRecipient extends Recipient {
  rank: number;
  outcome: 'won' | 'waitlisted';
  amount: number;
  site: string;
  slot: string;
  waitlist: number;
  claim_deadline: Date | null;
}

/** The next `limit` results after `afterRank`, in rank order, with their recipients. */
export async function listResultRecipients(
  trx: Trx,
  campaignId: string,
  afterRank: number,
  limit: number,
): Promise<ResultRecipient[]> {
  const { rows } = await trx.raw<{ rows: ResultRecipient[] }>(
    `SELECT a.rank, a.outcome, a.amount, a.site, a.slot, a.waitlist, a.claim_deadline, a.public_id, r.group_name, ap.group_source, ap.birth_date_source,
            ap.id AS application_id, ap.contact_channel, ap.contact_enc, ap.lang
       FROM awards a
       JOIN roster_entries r ON r.campaign_id = a.campaign_id AND r.public_id = a.public_id
       JOIN applications ap ON ap.id = r.application_id
      WHERE a.campaign_id = ? AND a.rank > ?
      ORDER BY a.rank
      LIMIT ?`,
    [campaignId, afterRank, limit],
  );
  return rows;
}

/**
 * The next `limit` active applications after `afterPublicId` that left a contact, in public id order (the roster
 * index's): who hears of a cancel.
 */
export async function listApplicantsAfter(
  trx: Trx,
  campaignId: string,
  afterPublicId: string,
  limit: number,
): Promise<Recipient[]> {
  const { rows } = await trx.raw<{ rows: Recipient[] }>(
    `SELECT id AS application_id, public_id, contact_channel, contact_enc, lang
       FROM applications
      WHERE campaign_id = ? AND status = 'active' AND public_id > ? AND contact_enc IS NOT NULL
      ORDER BY public_id
      LIMIT ?`,
    [campaignId, afterPublicId, limit],
  );
  return rows;
}
