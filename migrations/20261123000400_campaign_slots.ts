// Why: pickup slots with capacities belong to a campaign at a site; the allocator fills them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaign_slots', (t) => {
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.text('id').notNullable();
    t.text('site_id').notNullable().references('sites.id');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.integer('capacity').notNullable();
    t.primary(['campaign_id', 'id']);
  });
  await knex.raw(
    'ALTER TABLE campaign_slots ADD CONSTRAINT campaign_slots_check CHECK (capacity >= 0 AND starts_at < ends_at)',
  );
  await knex.raw('CREATE INDEX campaign_slots_site_idx ON campaign_slots (campaign_id, site_id, starts_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaign_slots');
}
