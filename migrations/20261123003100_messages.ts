// Why: one durable record per notice (SMS or email) with its status, so a resident's message is never lost, sent twice or untracked.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('messages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // the same event enqueued twice finds this key taken and sends nothing more
    t.text('dedupe_key').notNullable().unique();
    t.uuid('campaign_id').references('campaigns.id').onDelete('SET NULL');
    t.text('kind').notNullable();
    t.text('channel').notNullable();
    t.text('lang').notNullable();
    // which template rendered it, e.g. 'result_won.ko.sms'
    t.text('template').notNullable();
    // AES-256-GCM ciphertext of the number or address (base64url); null once purged
    t.text('to_enc');
    // what people and logs may see: +82 10-****-5678, k***@example.org
    t.text('to_masked').notNullable();
    t.text('subject');
    t.text('body').notNullable();
    t.text('html');
    // SMS only: how many segments the provider bills, and the encoding that decided it
    t.smallint('segments');
    t.text('encoding');
    t.text('status').notNullable().defaultTo('queued');
    t.integer('attempts').notNullable().defaultTo(0);
    // the channel that handled it: 'twilio', 'smtp' or 'outbox'
    t.text('provider');
    t.text('provider_id');
    t.text('error_code');
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sending_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    t.timestamp('next_attempt_at', { useTz: true });
  });
  await knex.raw(`
    ALTER TABLE messages
      ADD CONSTRAINT messages_channel_check CHECK (channel IN ('sms','email')),
      ADD CONSTRAINT messages_lang_check CHECK (lang IN ('ko','en')),
      ADD CONSTRAINT messages_status_check
        CHECK (status IN ('queued','sending','sent','delivered','failed','undelivered'))`);
  // Status callbacks find a message by the provider's id; admins count by campaign and status; the outbox lists newest first.
  await knex.raw(
    'CREATE UNIQUE INDEX messages_provider_id_idx ON messages (provider, provider_id) WHERE provider_id IS NOT NULL',
  );
  await knex.raw('CREATE INDEX messages_campaign_status_idx ON messages (campaign_id, status)');
  await knex.raw('CREATE INDEX messages_created_idx ON messages (created_at DESC, id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
}
