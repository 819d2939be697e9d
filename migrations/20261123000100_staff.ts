// Why: staff (admin, site staff, auditor) sign in to manage campaigns, serve pickups and audit draws.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');
  await knex.schema.createTable('staff', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.text('role').notNullable();
    t.text('site_id');
    t.text('password_hash');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw('CREATE UNIQUE INDEX staff_email_key ON staff (lower(email))');
  await knex.raw(
    `ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('admin','site_staff','auditor'))`,
  );
  await knex.raw(
    `ALTER TABLE staff ADD CONSTRAINT staff_site_check CHECK ((role = 'site_staff') = (site_id IS NOT NULL))`,
  );
  await knex.schema.createTable('staff_login_tokens', (t) => {
    t.binary('token_hash').primary();
    t.uuid('staff_id').notNullable().references('staff.id').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_login_tokens');
  await knex.schema.dropTable('staff');
}
