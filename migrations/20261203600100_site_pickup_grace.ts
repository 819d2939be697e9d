// Why: staff at a counter may hand over a little before a winner's pickup slot starts; how early is the site's own setting.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE sites
    ADD COLUMN pickup_grace_minutes integer NOT NULL DEFAULT 10,
    ADD CONSTRAINT sites_pickup_grace_check CHECK (pickup_grace_minutes BETWEEN 0 AND 240)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sites DROP COLUMN pickup_grace_minutes');
}
