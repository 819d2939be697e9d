// What the counter reads about awards: one award with the declared facts to check, and a site's pickups.
import { type Batched, batched } from '../batch.js';
import type { Db, Trx } from '../knex.js';
import { byOrdinal } from '../ordinal.js';
import type { AwardRow } from './awards.js';

/**
 * An award with what the counter checks at handover (birth year against an ID card, the priority group) and
 * the times of the slot it holds (null without one), read with it rather than after it.
 */
export interface CounterAward extends AwardRow {
  application_id: string;
  group_name: string;
  birth_year: number | null;
  held_slot_starts_at: Date | null;
  held_slot_ends_at: Date | null;
}

/** The site the award is to be collected at now, its slot and amount (a promoted award holds what was passed down). */
export const HELD_SITE = `CASE WHEN a.promoted_from_rank IS NULL THEN a.site ELSE a.held_site END`;
export const HELD_SLOT = `CASE WHEN a.promoted_from_rank IS NULL THEN a.slot ELSE a.held_slot END`;
export const HELD_AMOUNT = `CASE WHEN a.promoted_from_rank IS NULL THEN a.amount ELSE a.held_amount END`;

const COUNTER_COLUMNS = `a.*, r.application_id, r.group_name, i.birth_year,
  s.starts_at AS held_slot_starts_at, s.ends_at AS held_slot_ends_at`;
const COUNTER_JOINS = `FROM awards a
  JOIN roster_entries r ON r.campaign_id = a.campaign_id AND r.public_id = a.public_id
  JOIN applications ap ON ap.id = r.application_id
  JOIN identities i ON i.id = ap.identity_id
  LEFT JOIN campaign_slots s ON s.campaign_id = a.campaign_id AND s.id = ${HELD_SLOT}`;

export async function findCounterAward(
  db: Db | Trx,
  campaignId: string,
  publicId: string,
): Promise<CounterAward | undefined> {
  const { rows } = await db.raw(
    `SELECT ${COUNTER_COLUMNS} ${COUNTER_JOINS} WHERE a.campaign_id = ? AND a.public_id = ?`,
    [campaignId, publicId],
  );
  return rows[0];
}

export interface AwardKey {
  campaign_id: string;
  public_id: string;
}

/** findCounterAward for each key, in one statement; answers in the keys' order, undefined where there is none. */
export async function findCounterAwards(
  db: Db | Trx,
  keys: readonly AwardKey[],
): Promise<Array<CounterAward | undefined>> {
  const { rows } = await db.raw(
    `SELECT k.n, x.* FROM unnest(?::uuid[], ?::text[]) WITH ORDINALITY AS k(campaign_id, public_id, n)
       CROSS JOIN LATERAL (SELECT ${COUNTER_COLUMNS} ${COUNTER_JOINS}
                            WHERE a.campaign_id = k.campaign_id AND a.public_id = k.public_id OFFSET 0) x`,
    [keys.map((k) => k.campaign_id), keys.map((k) => k.public_id)],
  );
  return byOrdinal<CounterAward>(rows, keys.length);
}

/** A process's reads of one award with its counter facts (a resident's result), batched as batchedApplications. */
export function batchedCounterAwards(db: Db, lanes: number): Batched<AwardKey, CounterAward | undefined> {
  return batched({
    one: (k) => findCounterAward(db, k.campaign_id, k.public_id),
    many: (ks) => findCounterAwards(db, ks),
    lanes,
    maxBatch: 100,
  });
}

/** The award behind a typed code (its digest in claim_codes) or a scanned token (its campaign and public id). */
export type ClaimKey = { digest: Buffer } | { campaign_id: string; public_id: string };

/** A press at the counter as read in one query: the counter's site, and the award with what judging it needs. */
export interface CounterPress {
  site: CounterSiteRow | undefined;
  award:
    | (CounterAward & {
        campaign_claim_opens_at: Date;
        held_site_name: string | null;
        held_site_name_en: string | null;
        collected_site_name: string | null;
        collected_site_name_en: string | null;
      })
    | undefined;
}

/**
 * The site and the award behind a claim together, with the campaign's claim opening and the names of the
 * sites a refusal names: what findCounterSite, findByClaimCode, findCampaign and findCounterAward read, in one
 * round trip (a press at a busy counter waits on each round trip behind everything else the loop does).
 */
export async function findCounterPress(db: Db | Trx, siteId: string, claim: ClaimKey): Promise<CounterPress> {
  const byDigest = 'digest' in claim;
  const { rows } = await db.raw(
    `SELECT to_json(st) AS counter_site, x.*
       FROM (SELECT 1) one
       LEFT JOIN (SELECT id, name_ko, name_en, pickup_grace_minutes FROM sites WHERE id = ?) st ON true
       LEFT JOIN LATERAL (
         SELECT ${COUNTER_COLUMNS}, c.claim_opens_at AS campaign_claim_opens_at,
                hs.name_ko AS held_site_name, hs.name_en AS held_site_name_en,
                cs.name_ko AS collected_site_name, cs.name_en AS collected_site_name_en
         ${COUNTER_JOINS}
           JOIN campaigns c ON c.id = a.campaign_id
           LEFT JOIN sites hs ON hs.id = ${HELD_SITE}
           LEFT JOIN sites cs ON cs.id = a.collected_site
          WHERE (a.campaign_id, a.public_id) = ${
            byDigest
              ? '(SELECT k.campaign_id, k.public_id FROM claim_codes k WHERE k.digest = ?)'
              : '(?::uuid, ?)'
          }
       ) x ON true`,
    byDigest ? [siteId, claim.digest] : [siteId, claim.campaign_id, claim.public_id],
  );
  const { counter_site, ...award } = rows[0] as {
    counter_site: CounterSiteRow | null;
  } & CounterPress['award'] &
    object;
  return {
    site: counter_site ?? undefined,
    award: (award as { public_id?: string }).public_id ? (award as CounterPress['award']) : undefined,
  };
}

export interface SitePickup {
  campaign_id: string;
  public_id: string;
  rank: number;
  status: string;
  amount: number;
  slot: string;
  claim_deadline: Date | null;
  collected_at: Date | null;
  collected_via: string | null;
  refusal_reason: string | null;
}

/**
 * Every award to be collected at `site` in these campaigns (won at the draw there, or passed down to it), in
 * slot and rank order. Two index scans per campaign (awards_site_idx, awards_held_site_idx), never the roster.
 */
export async function sitePickups(db: Db | Trx, campaignIds: string[], site: string): Promise<SitePickup[]> {
  if (campaignIds.length === 0) return [];
  const { rows } = await db.raw(
    `SELECT a.campaign_id, a.public_id, a.rank, a.status, (${HELD_AMOUNT})::float8 AS amount, ${HELD_SLOT} AS slot,
            a.claim_deadline, a.collected_at, a.collected_via, a.refusal_reason
       FROM awards a
      WHERE a.campaign_id = ANY (?::uuid[])
        AND ((a.outcome = 'won' AND a.site = ? AND a.promoted_from_rank IS NULL)
          OR (a.held_site = ? AND a.promoted_from_rank IS NOT NULL))
      ORDER BY a.campaign_id, 6, a.rank`,
    [campaignIds, site, site],
  );
  return rows;
}

export interface CounterSiteRow {
  id: string;
  name_ko: string;
  name_en: string;
  pickup_grace_minutes: number;
}

/** A site as the counter needs it: its names and how early it hands over before a slot. */
export async function findCounterSite(db: Db | Trx, id: string): Promise<CounterSiteRow | undefined> {
  return db('sites').select('id', 'name_ko', 'name_en', 'pickup_grace_minutes').where({ id }).first();
}

export interface CampaignPickup {
  site: string;
  slot: string;
  slot_starts_at: Date | null;
  public_id: string;
  status: string;
  amount: number;
  claim_deadline: Date | null;
  collected_at: Date | null;
  collected_site: string | null;
  collected_via: string | null;
  collected_by: string | null;
  refused_at: Date | null;
  refusal_reason: string | null;
}

/** Every award with a place to collect (drawn winners and awards passed down), by site, slot and rank. */
export async function campaignPickups(
  db: Db | Trx,
  campaignId: string,
  site?: string,
): Promise<CampaignPickup[]> {
  const { rows } = await db.raw(
    `SELECT ${HELD_SITE} AS site, ${HELD_SLOT} AS slot, s.starts_at AS slot_starts_at, a.public_id, a.status,
            (${HELD_AMOUNT})::float8 AS amount, a.claim_deadline, a.collected_at, a.collected_site,
            a.collected_via, a.collected_by, a.refused_at, a.refusal_reason
       FROM awards a
       LEFT JOIN campaign_slots s ON s.campaign_id = a.campaign_id AND s.id = ${HELD_SLOT}
      WHERE a.campaign_id = ? AND (a.outcome = 'won' OR a.promoted_from_rank IS NOT NULL)
        AND (?::text IS NULL OR ${HELD_SITE} = ?)
      ORDER BY 1, 3 NULLS LAST, 2, a.rank`,
    [campaignId, site ?? null, site ?? null],
  );
  return rows;
}
