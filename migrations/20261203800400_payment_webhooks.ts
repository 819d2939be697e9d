// Why: a provider delivers a webhook more than once; each delivery id is kept once, after its signature checked.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE payment_webhooks (
    provider text NOT NULL,
    webhook_id text NOT NULL,
    type text NOT NULL,
    payment_id text,
    body jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    deliveries integer NOT NULL DEFAULT 1,
    PRIMARY KEY (provider, webhook_id)
  )`);
  await knex.raw('CREATE INDEX payment_webhooks_payment_idx ON payment_webhooks (payment_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_webhooks');
}
