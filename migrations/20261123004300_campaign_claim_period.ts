// Why: an award not collected within the campaign's claim period expires and passes down the waitlist.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    // hours a winner (or a promoted applicant) has to collect, from the later of claim_opens_at and the award
    t.integer('claim_period_hours').notNullable().defaultTo(72);
  });
  await knex.raw(
    'ALTER TABLE campaigns ADD CONSTRAINT campaigns_claim_period_check CHECK (claim_period_hours >= 1)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropColumn('claim_period_hours');
  });
}
