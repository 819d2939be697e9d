// Why: a typed claim code is an HMAC of the application, not stored; the counter finds its award by a keyed
// digest of the code, written when the code is first sent (results fan-out, promotion).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE claim_codes (
    digest bytea PRIMARY KEY,
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    public_id text COLLATE "C" NOT NULL
  )`);
  await knex.raw('CREATE INDEX claim_codes_campaign_idx ON claim_codes (campaign_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('claim_codes');
}
