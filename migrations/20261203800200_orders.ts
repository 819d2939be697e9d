// Why: a payment is an order with a forward-only state; unique keys (not reads) keep one open order per award and one answer per idempotency key.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- what the payment buys: a voucher award now, an instant-sale order later
    purpose text NOT NULL,
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    -- what it is for within the campaign: the award's public id
    subject text NOT NULL,
    idempotency_key text NOT NULL,
    -- sha256 of what the client asked for; a key reused for another request is refused
    request_hash text NOT NULL,
    face_value bigint NOT NULL,
    amount bigint NOT NULL,
    currency text NOT NULL DEFAULT 'KRW',
    provider text NOT NULL,
    -- the id the provider knows this payment by (PortOne's paymentId is chosen by the merchant)
    payment_id text NOT NULL UNIQUE,
    state text NOT NULL DEFAULT 'created',
    expires_at timestamptz NOT NULL,
    -- when the reconciler next asks the provider about it
    next_check_at timestamptz NOT NULL,
    checks integer NOT NULL DEFAULT 0,
    paid_amount bigint,
    provider_tx_id text,
    failure_code text,
    failure_message text,
    refund_reason text,
    refund_requested_at timestamptz,
    refunded_amount bigint,
    -- the first answer to the create request, replayed for the same idempotency key
    response jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    pending_at timestamptz,
    paid_at timestamptz,
    issued_at timestamptz,
    failed_at timestamptz,
    cancelled_at timestamptz,
    expired_at timestamptz,
    refunded_at timestamptz,
    updated_at timestamptz NOT NULL,
    CONSTRAINT orders_purpose_check CHECK (purpose IN ('voucher_award','instant_order')),
    CONSTRAINT orders_state_check CHECK (state IN
      ('created','pending','paid','issued','failed','cancelled','expired','refunded')),
    CONSTRAINT orders_amount_check CHECK (amount >= 0 AND face_value >= 1 AND amount <= face_value),
    CONSTRAINT orders_idempotency_key UNIQUE (campaign_id, subject, idempotency_key)
  )`);
  // One order at a time per award from creation to issue: a second "pay" cannot open another.
  await knex.raw(`CREATE UNIQUE INDEX orders_one_live_per_subject ON orders (purpose, campaign_id, subject)
    WHERE state IN ('created','pending','paid','issued')`);
  await knex.raw('CREATE INDEX orders_campaign_state_idx ON orders (campaign_id, state)');
  // The reconciler's work list: orders still open, and money still to give back.
  await knex.raw(`CREATE INDEX orders_due_idx ON orders (next_check_at)
    WHERE state IN ('created','pending') OR (refund_requested_at IS NOT NULL AND refunded_at IS NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('orders');
}
