import type { Db, Trx } from '../knex.js';

export interface Identity {
  id: string;
  identity_key: string;
  method: 'sms' | 'email' | 'oidc';
  phone_enc: string | null;
  email_enc: string | null;
  phone_hash: string | null;
  birth_date: string | null;
  region: string | null;
  lang: 'ko' | 'en';
}

const COLUMNS = [
  'id',
  'identity_key',
  'method',
  'phone_enc',
  'email_enc',
  'phone_hash',
  'region',
  'lang',
] as const;

/** The person behind a verified identifier, created on first sight; fresh contact details replace old ones. */
export async function upsertIdentity(
  db: Db | Trx,
  i: {
    identity_key: string;
    method: Identity['method'];
    phone_enc?: string | null;
    email_enc?: string | null;
    phone_hash?: string | null;
    birth_date: string | null;
    lang: 'ko' | 'en';
  },
): Promise<Identity> {
  const birth_year = i.birth_date ? Number(i.birth_date.slice(0, 4)) : null;
  const merge: Record<string, unknown> = { lang: i.lang, method: i.method, updated_at: db.fn.now() };
  if (i.phone_enc) merge.phone_enc = i.phone_enc;
  if (i.email_enc) merge.email_enc = i.email_enc;
  if (i.phone_hash) merge.phone_hash = i.phone_hash;
  if (i.birth_date) Object.assign(merge, { birth_date: i.birth_date, birth_year });
  const [row] = await db('identities')
    .insert({ ...i, birth_year })
    .onConflict('identity_key')
    .merge(merge)
    .returning([...COLUMNS, db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date")]);
  return row as Identity;
}

export async function findIdentityByKey(db: Db | Trx, key: string): Promise<Identity | undefined> {
  return db('identities')
    .select(...COLUMNS, db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date"))
    .where({ identity_key: key })
    .first();
}

export async function findIdentity(db: Db | Trx, id: string): Promise<Identity | undefined> {
  return db('identities')
    .select(...COLUMNS, db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date"))
    .where({ id })
    .first();
}

export async function setIdentityRegion(db: Db | Trx, id: string, region: string): Promise<void> {
  await db('identities').where({ id }).update({ region, updated_at: db.fn.now() });
}

/**
 * Erases contact details kept for a campaign: on its applications, and on identities that have no
 * application in any campaign still running. Returns how many applications and identities were cleared.
 */
export async function purgeCampaignContacts(
  trx: Trx,
  campaignId: string,
  runningStates: readonly string[],
): Promise<{ applications: number; identities: number }> {
  const applications = await trx('applications')
    .where({ campaign_id: campaignId })
    .whereNotNull('contact_enc')
    .update({ contact_enc: null });
  const identities = await trx('identities')
    .whereIn('id', trx('applications').select('identity_id').where({ campaign_id: campaignId }))
    .whereNotExists(
      trx('applications as o')
        .join('campaigns as c', 'c.id', 'o.campaign_id')
        .whereRaw('o.identity_id = identities.id')
        .whereNot('o.campaign_id', campaignId)
        .whereIn('c.state', runningStates),
    )
    .where((q) => q.whereNotNull('phone_enc').orWhereNotNull('email_enc'))
    .update({ phone_enc: null, email_enc: null, updated_at: trx.fn.now() });
  return { applications, identities };
}
