// Why: the roster is frozen at the close (decidim-sortitions' "freeze, store, then draw"): later edits to applications cannot change what was committed to.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The draw-v1 entry fields, in bytewise public_id order; idx is the Merkle leaf index.
  await knex.raw(`CREATE TABLE roster_entries (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    idx integer NOT NULL,
    public_id text NOT NULL,
    application_id uuid NOT NULL,
    group_name text NOT NULL,
    weight integer NOT NULL,
    request bigint NOT NULL,
    preferences text[] NOT NULL,
    PRIMARY KEY (campaign_id, idx)
  )`);
  await knex.raw(
    'CREATE UNIQUE INDEX roster_entries_public_id_idx ON roster_entries (campaign_id, public_id)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roster_entries');
}
