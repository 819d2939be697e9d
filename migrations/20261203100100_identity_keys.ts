// Why: one person can prove themselves several ways (a phone code, an OIDC subject, a 본인인증 CI); each verified identifier's HMAC points at the one identity row, so every path leads to the same person and the one-application key holds across them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE identity_keys (
    -- HMAC-SHA256(pepper, what was verified): E.164 phone, email address, OIDC issuer|subject, or CI; never the raw value
    key_hash text PRIMARY KEY,
    identity_id uuid NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('phone','email','oidc','ci')),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await knex.raw('CREATE INDEX identity_keys_identity_idx ON identity_keys (identity_id)');
  await knex.schema.alterTable('identities', (t) => {
    // set when this row turned out to be the same person as another; its keys then point at that one
    t.uuid('merged_into').references('identities.id');
    // a birth date a provider vouched for (본인인증, an OIDC birthdate claim): AES-256-GCM sealed, like contacts
    t.text('birth_date_enc');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('identities', (t) => {
    t.dropColumns('merged_into', 'birth_date_enc');
  });
  await knex.schema.dropTable('identity_keys');
}
