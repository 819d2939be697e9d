// Why: after a timeout or a crash mid-call the provider may already have a message; remember that, so the next attempt asks before sending again.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    // the start of the earliest attempt whose outcome is unknown; cleared once the message is recorded sent
    t.timestamp('in_doubt_since', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('in_doubt_since');
  });
}
