// Why: identities were keyed by HMAC(phone + a typed birth date), so one phone held as many identities as dates it
// typed. They are re-keyed on the phone alone, without any secret: the new phone key is the phone's lookup hash
// (HMAC(pepper, "contact" + E.164)) that every phone identity already stored in phone_hash. Identities sharing a
// phone become one person: the earliest keeps the phone key, the others are marked merged_into it, and their
// applications move to it unless it already has one in that campaign; then both applications stay and the pair is
// flagged for admins (identity_flags + an `identity.flagged` audit entry), while a further attempt gets
// duplicate_application. An OIDC identity whose token carried a verified phone (phone_hash set) joins that phone
// the same way. Email identities cannot be re-keyed (only the sealed address is stored, and a migration holds no
// DATA_KEY): they keep their row and applications but no key, so an email code makes a new, email-only identity
// that campaigns refuse unless they allow email.
import type { Knex } from 'knex';
import { appendAudit } from '../src/audit/log.js';

export async function up(knex: Knex): Promise<void> {
  // OIDC keys were already HMAC(issuer|subject): they stand.
  await knex.raw(`INSERT INTO identity_keys (key_hash, identity_id, kind)
    SELECT identity_key, id, 'oidc' FROM identities WHERE method = 'oidc' ON CONFLICT DO NOTHING`);
  await knex.raw(`CREATE TEMP TABLE rekey ON COMMIT DROP AS
    SELECT id, phone_hash, first_value(id) OVER (PARTITION BY phone_hash ORDER BY created_at, id) AS survivor
    FROM identities WHERE phone_hash IS NOT NULL`);
  await knex.raw(`INSERT INTO identity_keys (key_hash, identity_id, kind)
    SELECT DISTINCT phone_hash, survivor, 'phone' FROM rekey ON CONFLICT DO NOTHING`);
  await knex.raw(`UPDATE identity_keys k SET identity_id = r.survivor
    FROM rekey r WHERE k.identity_id = r.id AND r.id <> r.survivor`);
  await knex.raw(`UPDATE identities i SET merged_into = r.survivor, updated_at = now()
    FROM rekey r WHERE i.id = r.id AND r.id <> r.survivor`);
  await knex.raw(`UPDATE proxies p SET identity_id = r.survivor FROM rekey r
    WHERE p.identity_id = r.id AND r.id <> r.survivor
      AND NOT EXISTS (SELECT 1 FROM proxies q WHERE q.identity_id = r.survivor)`);

  // Per person and campaign: the survivor's own application stays first, else the earliest moves to the survivor.
  await knex.raw(`CREATE TEMP TABLE rekey_apps ON COMMIT DROP AS
    SELECT a.id, a.identity_id, a.campaign_id, r.survivor,
      row_number() OVER (PARTITION BY r.survivor, a.campaign_id
                         ORDER BY (a.identity_id = r.survivor) DESC, a.created_at, a.id) AS n
    FROM applications a JOIN rekey r ON r.id = a.identity_id`);
  await knex.raw(`UPDATE applications a SET identity_id = x.survivor, updated_at = now()
    FROM rekey_apps x WHERE x.id = a.id AND x.n = 1 AND a.identity_id <> x.survivor`);
  const { rows } = await knex.raw(`
    INSERT INTO identity_flags (campaign_id, identity_id, kept_application_id, other_identity_id,
      other_application_id, reason)
    SELECT o.campaign_id, o.survivor, k.id, o.identity_id, o.id, 'same_phone'
    FROM rekey_apps o JOIN rekey_apps k ON k.survivor = o.survivor AND k.campaign_id = o.campaign_id AND k.n = 1
    WHERE o.n > 1
    RETURNING id, campaign_id, identity_id, other_identity_id,
      (SELECT public_id FROM applications WHERE id = kept_application_id) AS kept,
      (SELECT public_id FROM applications WHERE id = other_application_id) AS other`);
  for (const f of rows as Array<Record<string, string>>) {
    await appendAudit(knex as Knex.Transaction, {
      at: new Date(),
      actor: 'system:migration',
      action: 'identity.flagged',
      subject: `campaign:${f.campaign_id}`,
      data: { flag: f.id, reason: 'same_phone', kept: f.kept, other: f.other },
    });
  }
}

export async function down(): Promise<void> {
  // Re-keying is one-way: the old keys mixed in birth dates that were never stored with them.
}
