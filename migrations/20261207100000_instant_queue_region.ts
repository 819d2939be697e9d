// The district or city a buyer declared when joining a sale limited to regions (campaign.eligibility.regions), kept
// on their place in the queue as an application keeps it: the operator and auditors see what each place was taken
// on. Null for a sale without regions, and for places taken before the sale enforced its rules.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instant_queue', (t) => {
    t.text('region');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instant_queue', (t) => {
    t.dropColumn('region');
  });
}
