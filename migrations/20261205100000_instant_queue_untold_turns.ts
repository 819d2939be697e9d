// The places admitted and not yet told of their turn (with somewhere to tell them): the pass that tells turns,
// in its own transaction after the admission's commit, finds them by this index instead of by the pass's range.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX instant_queue_untold_idx ON instant_queue (campaign_id, rank)
    WHERE turn_notified_at IS NULL AND contact_enc IS NOT NULL AND rank IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX instant_queue_untold_idx');
}
