// Why: a purchase was eight round trips holding a connection and a stock row lock across them; at a sale's
// opening the round trips, not the work, set the pace (23 orders/s). One function call is one round trip and
// one atomic statement: any refusal raises (SQLSTATE FAB01..FAB03, read in db/repos/instantBuy.ts), and the
// whole call rolls back with nothing written.
// The order of the writes is the design's: spend the token, insert the purchase (the per-person key), take
// stock from the buyer's home row, then the payment order. When the home row cannot serve, the command takes
// the slower path (several rows, planned in the domain) in an ordinary transaction.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Purchases reach the audit log a batch at a time (releaseHolds.ts): this marks which are in it.
  await knex.raw('ALTER TABLE instant_purchases ADD COLUMN audited_at timestamptz');
  await knex.raw(
    'CREATE INDEX instant_purchases_unaudited_idx ON instant_purchases (campaign_id, created_at) WHERE audited_at IS NULL',
  );
  await knex.raw(`
CREATE FUNCTION instant_buy(
  p_campaign uuid, p_identity uuid, p_jti text, p_now timestamptz, p_home smallint,
  p_purchase uuid, p_public_id text, p_quantity bigint, p_key text, p_fingerprint text,
  p_hold_until timestamptz,
  p_order uuid, p_payment_id text, p_request_hash text, p_amount bigint, p_provider text
) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE instant_queue SET token_used_at = p_now
   WHERE campaign_id = p_campaign AND identity_id = p_identity AND token_jti = p_jti
     AND token_used_at IS NULL AND token_expires_at > p_now;
  IF NOT FOUND THEN RAISE EXCEPTION 'admission used' USING ERRCODE = 'FAB01'; END IF;

  INSERT INTO instant_purchases (id, public_id, campaign_id, identity_id, quantity, idempotency_key,
                                 fingerprint, takes, order_id, hold_expires_at, created_at)
  SELECT p_purchase, p_public_id, c.id, p_identity, p_quantity, p_key, p_fingerprint,
         jsonb_build_array(jsonb_build_object('shard', p_home, 'quantity', p_quantity)), p_order,
         p_hold_until, p_now
    FROM campaigns c
   WHERE c.id = p_campaign AND c.state = 'open' AND now() >= c.opens_at AND now() < c.closes_at
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN RAISE EXCEPTION 'purchase refused' USING ERRCODE = 'FAB02'; END IF;

  UPDATE instant_stock SET remaining = remaining - p_quantity
   WHERE campaign_id = p_campaign AND shard = p_home AND remaining >= p_quantity;
  -- The home row cannot serve: the caller takes the slower path that spreads the take over rows.
  IF NOT FOUND THEN RAISE EXCEPTION 'home row dry' USING ERRCODE = 'FAB03'; END IF;

  INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                      provider, payment_id, expires_at, next_check_at, created_at, updated_at)
  VALUES (p_order, 'instant_order', p_campaign, p_public_id, p_key, p_request_hash, p_quantity, p_amount,
          p_provider, p_payment_id, p_hold_until, p_now, p_now, p_now);
END
$fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS instant_buy');
  await knex.raw('ALTER TABLE instant_purchases DROP COLUMN audited_at');
}
