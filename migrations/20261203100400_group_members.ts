// Why: a priority group restricted to a list (e.g. registered disability, basic livelihood recipients) is checked against people an admin imported, stored only as the same HMAC an identity key uses, never the raw phone number or subject.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE group_members (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    group_name text NOT NULL,
    key_hash text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('phone','oidc','ci')),
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, group_name, key_hash)
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('group_members');
}
