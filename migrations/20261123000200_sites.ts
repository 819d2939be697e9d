// Why: pharmacies and merchants where winners collect; shared across campaigns.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sites', (t) => {
    t.text('id').primary();
    t.text('name_ko').notNullable();
    t.text('name_en').notNullable();
    t.text('district').notNullable().defaultTo('');
    t.text('address').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE sites ADD CONSTRAINT sites_id_format CHECK (id ~ '^[A-Za-z0-9_-]{1,40}$')`);
  await knex.raw('ALTER TABLE staff ADD CONSTRAINT staff_site_fk FOREIGN KEY (site_id) REFERENCES sites(id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE staff DROP CONSTRAINT staff_site_fk');
  await knex.schema.dropTable('sites');
}
