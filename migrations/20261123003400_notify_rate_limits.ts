// Why: the per-channel send rate is counted in PostgreSQL (rate-limiter-flexible's table), so it holds across every instance.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The exact shape RateLimiterPostgres expects; created here so the service never runs DDL at start-up.
  await knex.raw(`
    CREATE TABLE notify_rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notify_rate_limits');
}
