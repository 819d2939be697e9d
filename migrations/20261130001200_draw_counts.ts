// Why: the public audit page shows counts by outcome, group and status; aggregating a million awards on
// every request is too slow, so they are computed once after the draw and moved with each status change.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE draw_counts (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    group_name text NOT NULL,
    outcome text NOT NULL,
    status text NOT NULL,
    count bigint NOT NULL,
    -- the published amounts of these results (what was drawn, not what is held now)
    amount bigint NOT NULL,
    PRIMARY KEY (campaign_id, outcome, group_name, status)
  )`);
  // Present once the counts of a campaign are computed; until then status changes leave draw_counts alone.
  await knex.raw(`CREATE TABLE draw_counts_ready (
    campaign_id uuid PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    computed_at timestamptz NOT NULL
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('draw_counts_ready');
  await knex.schema.dropTable('draw_counts');
}
