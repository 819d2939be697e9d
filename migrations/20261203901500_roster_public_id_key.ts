// Why: a frozen roster was indexed twice, by (campaign_id, idx) and by (campaign_id, public_id), and idx is the row number of public_id's bytewise ("C") order, so the second index already gives leaf order: its primary key is (campaign_id, public_id) now, and the close builds one index of a million rows, not two (about 1 s of PostgreSQL CPU each).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE roster_entries DROP CONSTRAINT roster_entries_pkey');
  await knex.raw('DROP INDEX roster_entries_public_id_idx');
  await knex.raw(
    'ALTER TABLE roster_entries ADD CONSTRAINT roster_entries_pkey PRIMARY KEY (campaign_id, public_id)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE roster_entries DROP CONSTRAINT roster_entries_pkey');
  await knex.raw(
    'ALTER TABLE roster_entries ADD CONSTRAINT roster_entries_pkey PRIMARY KEY (campaign_id, idx)',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX roster_entries_public_id_idx ON roster_entries (campaign_id, public_id)',
  );
}
