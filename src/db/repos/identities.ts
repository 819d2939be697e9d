import type { VerificationMethod } from '../../domain/campaign.js';
import type { Db, Trx } from '../knex.js';

export interface Identity {
  id: string;
  identity_key: string;
  method: VerificationMethod;
  phone_enc: string | null;
  email_enc: string | null;
  phone_hash: string | null;
  /** a birth date a provider vouched for, sealed (aad 'birth_date') */
  birth_date_enc: string | null;
  /** plain birth date typed before facts were sealed (legacy rows only; no longer written) */
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
  'birth_date_enc',
  'region',
  'lang',
] as const;

export interface IdentityFields {
  method: Identity['method'];
  phone_enc?: string | null;
  email_enc?: string | null;
  phone_hash?: string | null;
  /** only a provider's birth date is kept on the person; a typed one travels with each application */
  birth_date_enc?: string | null;
  lang: 'ko' | 'en';
}

/** Fresh contact details (and a provider's birth date) replace what the merge gives: only non-empty fields. */
function freshFields(db: Db | Trx, i: IdentityFields): Record<string, unknown> {
  const merge: Record<string, unknown> = { lang: i.lang, method: i.method, updated_at: db.fn.now() };
  for (const k of ['phone_enc', 'email_enc', 'phone_hash', 'birth_date_enc'] as const)
    if (i[k]) merge[k] = i[k];
  return merge;
}

/** The person behind a verified identifier, created on first sight; fresh contact details replace old ones. */
export async function upsertIdentity(
  db: Db | Trx,
  i: IdentityFields & { identity_key: string },
): Promise<Identity> {
  const [row] = await db('identities')
    .insert(i)
    .onConflict('identity_key')
    .merge(freshFields(db, i))
    .returning([...COLUMNS, db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date")]);
  return row as Identity;
}

/** Refreshes an identity found through one of its keys. */
export async function refreshIdentity(db: Db | Trx, id: string, i: IdentityFields): Promise<Identity> {
  const [row] = await db('identities')
    .where({ id })
    .update(freshFields(db, i))
    .returning([...COLUMNS, db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date")]);
  return row as Identity;
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
