// Why: stock spread over rows so concurrent buyers rarely wait on one; purchases keyed one live per person.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE instant_stock (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    shard smallint NOT NULL,
    initial bigint NOT NULL CHECK (initial >= 0),
    remaining bigint NOT NULL CHECK (remaining >= 0 AND remaining <= initial),
    PRIMARY KEY (campaign_id, shard)
  )`);
  await knex.raw(`CREATE TABLE instant_purchases (
    id uuid PRIMARY KEY,
    public_id text NOT NULL UNIQUE,
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    identity_id uuid NOT NULL,
    quantity bigint NOT NULL CHECK (quantity > 0),
    idempotency_key text NOT NULL,
    fingerprint text NOT NULL,
    -- held: stock taken, payment under way; paid: the order is paid; released: the stock went back
    state text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'paid', 'released')),
    takes jsonb NOT NULL,
    order_id uuid,
    hold_expires_at timestamptz NOT NULL,
    response jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    paid_at timestamptz,
    released_at timestamptz,
    release_reason text,
    CONSTRAINT instant_purchases_idempotency_key UNIQUE (campaign_id, identity_id, idempotency_key)
  )`);
  // The per-person limit as a key: one live purchase per person and sale, inserted before stock is taken.
  await knex.raw(`CREATE UNIQUE INDEX instant_purchases_one_live ON instant_purchases (campaign_id, identity_id)
    WHERE state IN ('held', 'paid')`);
  await knex.raw(
    "CREATE INDEX instant_purchases_held_idx ON instant_purchases (hold_expires_at) WHERE state = 'held'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instant_purchases');
  await knex.schema.dropTable('instant_stock');
}
