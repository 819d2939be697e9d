// Why: the audit chain is checked from the last verified row on, not from the genesis on every request.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE audit_checkpoints (
    seq bigint PRIMARY KEY,
    hash text NOT NULL,
    checked_at timestamptz NOT NULL
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE audit_checkpoints');
}
