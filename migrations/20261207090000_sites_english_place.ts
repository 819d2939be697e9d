// Where a site is, in English: a site's name and opening hours had an English form but its district and address
// were Korean only, so every English page, email and SMS naming where to collect showed a Hangul address to a
// reader who may not read it. Empty means "not given": English readers then see the Korean (domain/site.ts).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.text('district_en').notNullable().defaultTo('');
    t.text('address_en').notNullable().defaultTo('');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sites', (t) => {
    t.dropColumns('district_en', 'address_en');
  });
}
