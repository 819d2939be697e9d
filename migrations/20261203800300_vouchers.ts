// Why: issued vouchers are recorded once per order (unique order and sequence), each number unique and unguessable.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE vouchers (
    number text PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    seq integer NOT NULL,
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    face_value bigint NOT NULL CHECK (face_value >= 1),
    valid_until timestamptz NOT NULL,
    issuer text NOT NULL,
    issued_at timestamptz NOT NULL,
    UNIQUE (order_id, seq)
  )`);
  await knex.raw('CREATE INDEX vouchers_campaign_idx ON vouchers (campaign_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('vouchers');
}
