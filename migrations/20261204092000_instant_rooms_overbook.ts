// Why: admission is bounded by the stock left (20261204091000). An operator may let in more than the stock can
// serve, by this percentage: buyers who never come, or come slowly, then hold nobody up for a turn's length, at
// the price of turns that end in "sold out" and of the queue's order (the quick among those let in buy first).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TABLE instant_rooms ADD COLUMN overbook_percent integer NOT NULL DEFAULT 0 CHECK (overbook_percent BETWEEN 0 AND 1000)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE instant_rooms DROP COLUMN overbook_percent');
}
