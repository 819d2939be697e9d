// Verified identifiers (as HMACs) and the identity each leads to; merging two identities that are one person.
import type { KeyKind } from '../../identity/crypto.js';
import type { Db, Trx } from '../knex.js';

/** The identities (merged ones followed to their survivor) that any of these keys lead to, oldest first. */
export async function identitiesForKeys(
  db: Db | Trx,
  hashes: readonly string[],
): Promise<Array<{ id: string; created_at: Date }>> {
  const { rows } = await db.raw(
    `SELECT DISTINCT i.id, i.created_at FROM identity_keys k
       JOIN identities m ON m.id = k.identity_id
       JOIN identities i ON i.id = coalesce(m.merged_into, m.id)
     WHERE k.key_hash = ANY(?::text[]) ORDER BY i.created_at, i.id`,
    [[...hashes]],
  );
  return rows;
}

/** Points each key at the identity unless it already points somewhere (a race or another person's merge). */
export async function linkKeys(
  trx: Trx,
  identityId: string,
  keys: ReadonlyArray<{ kind: KeyKind; hash: string }>,
): Promise<void> {
  if (keys.length === 0) return;
  await trx('identity_keys')
    .insert(keys.map((k) => ({ key_hash: k.hash, identity_id: identityId, kind: k.kind })))
    .onConflict('key_hash')
    .ignore();
}

export interface MergeCollision {
  campaign_id: string;
  kept_application_id: string;
  kept_public_id: string;
  other_application_id: string;
  other_public_id: string;
}

/**
 * Makes `from` part of `into`: its keys and (where `into` has none) its proxy move over, and each application moves
 * unless `into` already has one in that campaign. Those stay where they are and come back as collisions.
 */
export async function mergeIdentityInto(trx: Trx, from: string, into: string): Promise<MergeCollision[]> {
  await trx('identity_keys').where({ identity_id: from }).update({ identity_id: into });
  await trx('identities')
    .whereIn('id', [from])
    .orWhere('merged_into', from)
    .update({ merged_into: into, updated_at: trx.fn.now() });
  await trx.raw(
    `UPDATE proxies SET identity_id = :into WHERE identity_id = :from
       AND NOT EXISTS (SELECT 1 FROM proxies WHERE identity_id = :into)`,
    { from, into },
  );
  await trx.raw(
    `UPDATE applications a SET identity_id = :into, updated_at = now() WHERE a.identity_id = :from
       AND NOT EXISTS (SELECT 1 FROM applications b WHERE b.identity_id = :into AND b.campaign_id = a.campaign_id)`,
    { from, into },
  );
  const { rows } = await trx.raw(
    `SELECT o.campaign_id, k.id AS kept_application_id, k.public_id AS kept_public_id,
            o.id AS other_application_id, o.public_id AS other_public_id
     FROM applications o JOIN applications k ON k.campaign_id = o.campaign_id AND k.identity_id = :into
     WHERE o.identity_id = :from
       AND NOT EXISTS (SELECT 1 FROM identity_flags f WHERE f.other_application_id = o.id)`,
    { from, into },
  );
  return rows;
}

export async function insertIdentityFlag(
  trx: Trx,
  f: MergeCollision & { identity_id: string; other_identity_id: string; reason: string },
): Promise<string> {
  const [row] = await trx('identity_flags')
    .insert({
      campaign_id: f.campaign_id,
      identity_id: f.identity_id,
      kept_application_id: f.kept_application_id,
      other_identity_id: f.other_identity_id,
      other_application_id: f.other_application_id,
      reason: f.reason,
    })
    .returning('id');
  return row.id;
}

export interface IdentityFlagRow {
  id: string;
  campaign_id: string;
  campaign_code: string;
  campaign_title_ko: string;
  campaign_title_en: string;
  reason: string;
  kept_public_id: string;
  kept_status: string;
  other_public_id: string;
  other_status: string;
  created_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
}

/** Flags for admins, open ones first, newest first; public ids only (never a name or a number). */
export async function listIdentityFlags(db: Db, limit = 200): Promise<IdentityFlagRow[]> {
  return db('identity_flags as f')
    .join('campaigns as c', 'c.id', 'f.campaign_id')
    .join('applications as k', 'k.id', 'f.kept_application_id')
    .join('applications as o', 'o.id', 'f.other_application_id')
    .select(
      'f.id',
      'f.campaign_id',
      'c.code as campaign_code',
      'c.title_ko as campaign_title_ko',
      'c.title_en as campaign_title_en',
      'f.reason',
      'k.public_id as kept_public_id',
      'k.status as kept_status',
      'o.public_id as other_public_id',
      'o.status as other_status',
      'f.created_at',
      'f.resolved_at',
      'f.resolution',
    )
    .orderByRaw('f.resolved_at IS NOT NULL, f.created_at DESC')
    .limit(limit);
}

/** A provider's verification result is good for one sign-in: false when it was already used. */
export async function spendProviderVerification(
  trx: Trx | Db,
  v: { id: string; provider: string; identity_id: string | null },
): Promise<boolean> {
  const rows = await trx('provider_verifications').insert(v).onConflict('id').ignore().returning('id');
  return rows.length === 1;
}
