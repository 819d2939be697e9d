// Why: workers write a heartbeat so that jobs locked by a worker that was killed are handed back in seconds, not graphile-worker's 4 hours.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notify_workers', (t) => {
    // graphile-worker's pool id, the value it writes into jobs.locked_by
    t.text('pool_id').primary();
    t.text('host').notNullable();
    t.integer('pid').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notify_workers');
}
