// Why: receipts need an inclusion proof at any time; each Merkle level is stored once as one uncompressed bytea, so a proof reads ~20 slices of 32 bytes instead of rebuilding a million-leaf tree.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE roster_tree (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    level integer NOT NULL,
    hashes bytea NOT NULL,
    PRIMARY KEY (campaign_id, level)
  )`);
  // EXTERNAL: out of line and uncompressed (hashes do not compress), so substring() reads only the chunks it needs.
  await knex.raw('ALTER TABLE roster_tree ALTER COLUMN hashes SET STORAGE EXTERNAL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roster_tree');
}
