// Applications: every write that the window gates checks the DATABASE clock inside its own statement.
import type { ApplicationChannel } from '../../domain/application.js';
import type { CampaignState } from '../../domain/campaign.js';
import type { BirthDateSource, GroupSource } from '../../domain/facts.js';
import { type Batched, batched } from '../batch.js';
import type { Db, Trx } from '../knex.js';
import { byOrdinal } from '../ordinal.js';

export interface Application {
  id: string;
  campaign_id: string;
  identity_id: string;
  public_id: string;
  channel: ApplicationChannel;
  proxy_id: string | null;
  request: number;
  preferences: string[];
  group_name: string;
  weight: number;
  lang: 'ko' | 'en';
  status: 'active' | 'withdrawn';
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  region: string | null;
  /** the birth date given with the application, AES-256-GCM sealed (aad 'birth_date'), and its provenance */
  birth_date_enc: string | null;
  birth_date_source: BirthDateSource | null;
  /** how the group was established; null without a group */
  group_source: GroupSource | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Why a gated write did not happen, read in the same statement as the write. */
export interface WindowCheck {
  found: boolean;
  state: string | null;
  started: boolean;
  ended: boolean;
  /** the campaign's rules version now */
  rules_version: number | null;
}

/** What an insert supplies: the stored fields it sets, plus the campaign version the rules were checked at. */
export type NewApplication = Pick<
  Application,
  | 'campaign_id'
  | 'identity_id'
  | 'public_id'
  | 'channel'
  | 'proxy_id'
  | 'request'
  | 'preferences'
  | 'group_name'
  | 'weight'
  | 'lang'
  | 'contact_channel'
  | 'contact_enc'
  | 'region'
  | 'birth_date_enc'
  | 'birth_date_source'
  | 'group_source'
> & {
  /** the campaign's rules version the request was judged by; a newer one refuses the write */
  rules_version: number;
};

export const WINDOW_SQL = `
  c.state IN ('scheduled', 'open') AND c.rules_version = :rules_version
  AND statement_timestamp() >= c.opens_at AND statement_timestamp() < c.closes_at`;

// A session may outlive a merge of its identity into another (the same person): write under the survivor. The
// identity is an SQL expression: a named or positional parameter, or a column of a many-key read.
export const rootIdentityOf = (identity: string) =>
  `(SELECT coalesce(i.merged_into, i.id) FROM identities i WHERE i.id = ${identity})`;

export const ROOT_IDENTITY = rootIdentityOf(':identity_id');

export const CHECK_SQL = `
  SELECT c.state, c.rules_version, statement_timestamp() >= c.opens_at AS started,
         statement_timestamp() >= c.closes_at AS ended
  FROM campaigns c WHERE c.id = :campaign_id`;

/**
 * One round trip: inserts when the window is open by the database clock and the person has no active
 * application; a withdrawn application comes back to life with the new request (same public id).
 * `inserted` is undefined when nothing was written: then `window` says whether the window refused, and
 * otherwise the person already has an active application.
 */
export async function insertApplicationIfOpen(
  db: Db | Trx,
  a: NewApplication,
): Promise<{ inserted: (Application & { created: boolean }) | undefined; window: WindowCheck }> {
  const sql = `
    WITH ins AS (
      INSERT INTO applications AS a (campaign_id, identity_id, public_id, channel, proxy_id, request, preferences,
        group_name, weight, lang, contact_channel, contact_enc, region, birth_date_enc, birth_date_source,
        group_source, created_at, updated_at)
      SELECT c.id, ${ROOT_IDENTITY}, :public_id, :channel, :proxy_id, :request, :preferences::text[],
        :group_name, :weight, :lang, :contact_channel, :contact_enc, :region, :birth_date_enc, :birth_date_source,
        :group_source, statement_timestamp(), statement_timestamp()
      FROM campaigns c WHERE c.id = :campaign_id AND ${WINDOW_SQL}
      ON CONFLICT (campaign_id, identity_id) DO UPDATE SET
        status = 'active', channel = EXCLUDED.channel, proxy_id = EXCLUDED.proxy_id, request = EXCLUDED.request,
        preferences = EXCLUDED.preferences, group_name = EXCLUDED.group_name, weight = EXCLUDED.weight,
        lang = EXCLUDED.lang, contact_channel = EXCLUDED.contact_channel, contact_enc = EXCLUDED.contact_enc,
        region = EXCLUDED.region, birth_date_enc = EXCLUDED.birth_date_enc,
        birth_date_source = EXCLUDED.birth_date_source, group_source = EXCLUDED.group_source,
        version = a.version + 1, updated_at = statement_timestamp()
      WHERE a.status = 'withdrawn'
      RETURNING a.*, (xmax = 0) AS created
    ), chk AS (${CHECK_SQL})
    SELECT (SELECT row_to_json(ins) FROM ins) AS inserted, chk.* FROM (SELECT 1) one LEFT JOIN chk ON true`;
  const { rows } = await db.raw(sql, { ...a, preferences: a.preferences });
  const row = rows[0] as WindowRow & { inserted: (Application & { created: boolean }) | null };
  return {
    inserted: row.inserted ? reviveDates(row.inserted) : undefined,
    window: windowOf(row),
  };
}

export interface WindowRow {
  state: string | null;
  rules_version: number | null;
  started: boolean | null;
  ended: boolean | null;
}

export function windowOf(row: WindowRow): WindowCheck {
  return {
    found: row.state !== null,
    state: row.state,
    rules_version: row.rules_version,
    started: Boolean(row.started),
    ended: Boolean(row.ended),
  };
}

export function reviveDates<T extends { created_at: Date | string; updated_at: Date | string }>(r: T): T {
  return { ...r, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at) };
}

export async function findApplication(
  db: Db | Trx,
  campaignId: string,
  identityId: string,
): Promise<Application | undefined> {
  return db('applications')
    .where({ campaign_id: campaignId })
    .where('identity_id', db.raw(rootIdentityOf('?'), [identityId]))
    .first();
}

export interface ApplicationKey {
  campaign_id: string;
  identity_id: string;
}

/** findApplication for each key, in one statement; answers in the keys' order, undefined where there is none. */
export async function findApplications(
  db: Db | Trx,
  keys: readonly ApplicationKey[],
): Promise<Array<Application | undefined>> {
  // OFFSET 0 keeps each key an index lookup of its own, as findStandings' keys are
  const { rows } = await db.raw(
    `SELECT k.n, x.* FROM unnest(?::uuid[], ?::uuid[]) WITH ORDINALITY AS k(campaign_id, identity_id, n)
       CROSS JOIN LATERAL (SELECT a.* FROM applications a WHERE a.campaign_id = k.campaign_id
         AND a.identity_id = ${rootIdentityOf('k.identity_id')} OFFSET 0) x`,
    [keys.map((k) => k.campaign_id), keys.map((k) => k.identity_id)],
  );
  return byOrdinal<Application>(rows, keys.length);
}

/**
 * A process's reads of one's own application, batched (db/batch.ts): a crowd reading its results just after a
 * draw is a read each, and one round trip each was what the service waited on (each wakes a backend).
 */
export function batchedApplications(db: Db, lanes: number): Batched<ApplicationKey, Application | undefined> {
  return batched({
    one: (k) => findApplication(db, k.campaign_id, k.identity_id),
    many: (ks) => findApplications(db, ks),
    lanes,
    maxBatch: 100,
  });
}

export async function findApplicationByPublicId(
  db: Db | Trx,
  publicId: string,
): Promise<Application | undefined> {
  return db('applications').where({ public_id: publicId }).first();
}

/**
 * The 10 newest applications of every identity registered to one phone number: for SMS STATUS (a cancelled
 * campaign's too, `withCancelled`) and CANCEL (only what can still be withdrawn).
 */
export async function listApplicationsByPhoneHash(
  db: Db | Trx,
  phoneHash: string,
  campaignId?: string,
  o: { withCancelled?: boolean } = {},
): Promise<
  Array<
    Application & {
      code: string;
      campaign_state: CampaignState;
      cancel_message_ko: string | null;
      cancel_message_en: string | null;
      birth_date: string | null;
    }
  >
> {
  const q = db('applications as a')
    .join('identities as i', 'i.id', 'a.identity_id')
    .join('campaigns as c', 'c.id', 'a.campaign_id')
    .select(
      'a.*',
      'c.code',
      'c.state AS campaign_state',
      'c.cancel_message_ko',
      'c.cancel_message_en',
      db.raw("to_char(i.birth_date, 'YYYY-MM-DD') AS birth_date"),
    )
    .where('i.phone_hash', phoneHash)
    .whereNotIn('c.state', o.withCancelled ? ['draft'] : ['draft', 'cancelled'])
    .orderBy('a.created_at', 'desc')
    .limit(10);
  if (campaignId) q.where('a.campaign_id', campaignId);
  return q;
}

/** Changes an active application while the window is open by the database clock. */
export async function updateApplicationIfOpen(
  db: Db | Trx,
  u: {
    campaign_id: string;
    rules_version: number;
    identity_id: string;
    request: number;
    preferences: string[];
    group_name: string;
    group_source: GroupSource | null;
    weight: number;
    region: string | null;
  },
): Promise<{ updated: Application | undefined; window: WindowCheck }> {
  const sql = `
    WITH upd AS (
      UPDATE applications a SET request = :request, preferences = :preferences::text[], group_name = :group_name,
        group_source = :group_source, weight = :weight, region = :region, version = a.version + 1, updated_at = now()
      FROM campaigns c
      WHERE a.campaign_id = :campaign_id AND a.identity_id = ${ROOT_IDENTITY} AND a.status = 'active'
        AND c.id = a.campaign_id AND ${WINDOW_SQL}
      RETURNING a.*
    ), chk AS (${CHECK_SQL})
    SELECT (SELECT row_to_json(upd) FROM upd) AS updated, chk.* FROM (SELECT 1) one LEFT JOIN chk ON true`;
  const { rows } = await db.raw(sql, u);
  const row = rows[0];
  return { updated: row.updated ? reviveDates(row.updated) : undefined, window: windowOf(row) };
}

/** Withdraws an active application while the window is open by the database clock. */
export async function withdrawApplicationIfOpen(
  db: Db | Trx,
  w: { campaign_id: string; identity_id: string },
): Promise<{ withdrawn: Application | undefined; window: WindowCheck }> {
  const sql = `
    WITH upd AS (
      UPDATE applications a SET status = 'withdrawn', version = a.version + 1, updated_at = now()
      FROM campaigns c
      WHERE a.campaign_id = :campaign_id AND a.identity_id = ${ROOT_IDENTITY} AND a.status = 'active'
        AND c.id = a.campaign_id AND c.state IN ('scheduled', 'open')
        AND statement_timestamp() >= c.opens_at AND statement_timestamp() < c.closes_at
      RETURNING a.*
    ), chk AS (${CHECK_SQL})
    SELECT (SELECT row_to_json(upd) FROM upd) AS withdrawn, chk.* FROM (SELECT 1) one LEFT JOIN chk ON true`;
  const { rows } = await db.raw(sql, w);
  const row = rows[0];
  return { withdrawn: row.withdrawn ? reviveDates(row.withdrawn) : undefined, window: windowOf(row) };
}

/** What the counter checks for one application: its sealed birth date and group with their provenance. */
export async function findApplicationFacts(
  db: Db | Trx,
  campaignId: string,
  publicId: string,
): Promise<
  | (Pick<Application, 'birth_date_enc' | 'birth_date_source' | 'group_name' | 'group_source'> & {
      /** applications from before facts were sealed: the identity's plain birth date, as declared */
      legacy_birth_date: string | null;
    })
  | undefined
> {
  return db('applications as a')
    .join('identities as i', 'i.id', 'a.identity_id')
    .where({ 'a.campaign_id': campaignId, 'a.public_id': publicId })
    .select(
      'a.birth_date_enc',
      'a.birth_date_source',
      'a.group_name',
      'a.group_source',
      db.raw("to_char(i.birth_date, 'YYYY-MM-DD') AS legacy_birth_date"),
    )
    .first();
}
