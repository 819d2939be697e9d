// Why: provider status callbacks are kept once per (provider id, status), so a repeated or late callback changes nothing.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_events', (t) => {
    t.bigIncrements('id');
    t.uuid('message_id').references('messages.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('provider_id').notNullable();
    // the provider's own word (e.g. Twilio 'sent', 'delivered', 'undelivered'), not ours
    t.text('provider_status').notNullable();
    t.text('error_code');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['provider', 'provider_id', 'provider_status']);
  });
  await knex.raw('CREATE INDEX message_events_message_idx ON message_events (message_id, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_events');
}
