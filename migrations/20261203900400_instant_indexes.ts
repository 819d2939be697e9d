// Why: the per-second ticker counts live admission tokens and finds held purchases per sale; both were scans.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX instant_queue_live_tokens_idx ON instant_queue (campaign_id, token_expires_at)
    WHERE token_jti IS NOT NULL AND token_used_at IS NULL`);
  await knex.raw('DROP INDEX instant_purchases_held_idx');
  await knex.raw(`CREATE INDEX instant_purchases_held_idx ON instant_purchases (campaign_id, hold_expires_at)
    WHERE state = 'held'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX instant_purchases_held_idx');
  await knex.raw(
    "CREATE INDEX instant_purchases_held_idx ON instant_purchases (hold_expires_at) WHERE state = 'held'",
  );
  await knex.raw('DROP INDEX instant_queue_live_tokens_idx');
}
