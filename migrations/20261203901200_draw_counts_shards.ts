// Why: every collection, expiry and promotion of a campaign moved the same two draw_counts rows (its outcome
// and group, from one status to another), so concurrent collections at different sites queued on those row
// locks until each commit. The counts are now spread over 64 rows per key by the award's public id
// (drawCounts.ts): two moves meet on a row only when their awards fall in the same shard; readers sum them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE draw_counts ADD COLUMN shard smallint NOT NULL DEFAULT 0');
  await knex.raw('ALTER TABLE draw_counts DROP CONSTRAINT draw_counts_pkey');
  await knex.raw('ALTER TABLE draw_counts ADD PRIMARY KEY (campaign_id, outcome, group_name, status, shard)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TEMP TABLE draw_counts_summed AS
    SELECT campaign_id, group_name, outcome, status, sum(count)::bigint AS count, sum(amount)::bigint AS amount
      FROM draw_counts GROUP BY 1, 2, 3, 4`);
  await knex.raw('DELETE FROM draw_counts');
  await knex.raw('ALTER TABLE draw_counts DROP CONSTRAINT draw_counts_pkey');
  await knex.raw('ALTER TABLE draw_counts DROP COLUMN shard');
  await knex.raw('ALTER TABLE draw_counts ADD PRIMARY KEY (campaign_id, outcome, group_name, status)');
  await knex.raw(`INSERT INTO draw_counts (campaign_id, group_name, outcome, status, count, amount)
    SELECT campaign_id, group_name, outcome, status, count, amount FROM draw_counts_summed`);
  await knex.raw('DROP TABLE draw_counts_summed');
}
