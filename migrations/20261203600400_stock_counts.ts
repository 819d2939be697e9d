// Why: the public stock per site and slot is read by many and must be the database's own figure; it is stored
// once after the draw and moved in the same transaction as every collection, refusal, expiry and promotion.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // site_id '' and slot_id '' for a voucher campaign; slot_id '' for awards passed down with no slot left.
  await knex.raw(`CREATE TABLE stock_counts (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    site_id text NOT NULL,
    slot_id text NOT NULL,
    -- units (or KRW) held by winners or collected, and collected
    awarded bigint NOT NULL DEFAULT 0,
    collected bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, site_id, slot_id)
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stock_counts');
}
