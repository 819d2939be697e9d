// Why: instant_purchases.response was never written but as '{}': an instant purchase's answer is its order's
// (orders.response, written pending by instant_buy_many since 20261203901700), which replays read. A column nothing
// reads only misleads the next reader into thinking the purchase keeps an answer of its own.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE instant_purchases DROP COLUMN response');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE instant_purchases ADD COLUMN response jsonb NOT NULL DEFAULT '{}'`);
}
