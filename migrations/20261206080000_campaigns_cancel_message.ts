// What the operator tells residents when cancelling a campaign (why, and what to do instead): shown on their pages
// and written into the cancel's notices. The audit log's reason stays staff's own note.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TABLE campaigns ADD COLUMN cancel_message text CHECK (char_length(cancel_message) BETWEEN 1 AND 200)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP COLUMN cancel_message');
}
