// A cancel's word to residents in each of their languages, as a campaign's title is: an English reader of a
// Korean-only message got a notice half in a language they had not chosen. The day-old column becomes the Korean one.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns RENAME COLUMN cancel_message TO cancel_message_ko');
  await knex.raw(
    'ALTER TABLE campaigns ADD COLUMN cancel_message_en text CHECK (char_length(cancel_message_en) BETWEEN 1 AND 200)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP COLUMN cancel_message_en');
  await knex.raw('ALTER TABLE campaigns RENAME COLUMN cancel_message_ko TO cancel_message');
}
