// Why: a winner needs to find and reach the site (phone, opening hours, a map position), not just its name.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.text('phone').notNullable().defaultTo('');
    t.text('hours_ko').notNullable().defaultTo('');
    t.text('hours_en').notNullable().defaultTo('');
    t.double('lat');
    t.double('lng');
  });
  await knex.raw(`ALTER TABLE sites ADD CONSTRAINT sites_position_check CHECK (
    (lat IS NULL) = (lng IS NULL) AND (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180)))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE sites DROP CONSTRAINT sites_position_check');
  await knex.schema.alterTable('sites', (t) => {
    t.dropColumns('phone', 'hours_ko', 'hours_en', 'lat', 'lng');
  });
}
