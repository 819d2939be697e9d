// Why: the development payment provider keeps its own ledger, apart from orders, as an outside gateway would.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE dev_payments (
    payment_id text PRIMARY KEY,
    order_name text NOT NULL,
    amount bigint NOT NULL,
    status text NOT NULL DEFAULT 'READY',
    failure text,
    transaction_id text NOT NULL,
    return_url text NOT NULL,
    cancelled_amount bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    paid_at timestamptz,
    cancelled_at timestamptz,
    CONSTRAINT dev_payments_status_check CHECK (status IN ('READY','PAID','FAILED','CANCELLED'))
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dev_payments');
}
