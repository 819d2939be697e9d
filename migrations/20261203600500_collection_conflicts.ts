// Why: a counter that lost its connection records collections locally; one that turns out to be spent already
// when it syncs is kept here for admins, once per offline record.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE collection_conflicts (
    id bigserial PRIMARY KEY,
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    public_id text COLLATE "C" NOT NULL,
    site_id text NOT NULL,
    staff_id uuid NOT NULL,
    offline_ref text NOT NULL UNIQUE,
    handed_over_at timestamptz NOT NULL,
    synced_at timestamptz NOT NULL,
    -- the award's status when the offline record arrived, and the collection that came first, if any
    status_at_sync text NOT NULL,
    first_collected_at timestamptz,
    first_collected_site text,
    first_collected_by text
  )`);
  await knex.raw(
    'CREATE INDEX collection_conflicts_campaign_idx ON collection_conflicts (campaign_id, synced_at)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collection_conflicts');
}
