// Why: a campaign may name its own public beacon (e.g. a drand round or lottery numbers of a date); otherwise the configured default is used.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('beacon_source');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropColumn('beacon_source');
  });
}
