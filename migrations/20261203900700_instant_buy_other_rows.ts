// Why: when a buyer's home stock row ran dry, the purchase fell back to a transaction that locked every row still
// holding stock, and near the end of a sale most buyers took that path one after another (sampled: sessions idle
// in those transactions while the rest queued). Now, still in the one call, the next row after the home row that
// can serve the whole take alone is tried, with no other row locked; only a take no single row can serve (the
// last few units) goes to the transaction that spreads it over rows.
import type { Knex } from 'knex';

const BODY = (otherRows: boolean) => `
CREATE OR REPLACE FUNCTION instant_buy(
  p_campaign uuid, p_identity uuid, p_jti text, p_now timestamptz, p_home smallint,
  p_purchase uuid, p_public_id text, p_quantity bigint, p_key text, p_fingerprint text,
  p_hold_until timestamptz,
  p_order uuid, p_payment_id text, p_request_hash text, p_amount bigint, p_provider text
) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_shard smallint := p_home;
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
  IF NOT FOUND THEN
${
  otherRows
    ? `    -- The next row after the home row that can serve the take alone: buyers spread as their homes do.
    UPDATE instant_stock SET remaining = remaining - p_quantity
     WHERE campaign_id = p_campaign AND remaining >= p_quantity
       AND shard = (SELECT shard FROM instant_stock
                     WHERE campaign_id = p_campaign AND remaining >= p_quantity
                     ORDER BY (shard - p_home + 32768) % 32768 LIMIT 1)
    RETURNING shard INTO v_shard;
    IF NOT FOUND THEN RAISE EXCEPTION 'home row dry' USING ERRCODE = 'FAB03'; END IF;
    UPDATE instant_purchases
       SET takes = jsonb_build_array(jsonb_build_object('shard', v_shard, 'quantity', p_quantity))
     WHERE id = p_purchase;`
    : `    RAISE EXCEPTION 'home row dry' USING ERRCODE = 'FAB03';`
}
  END IF;

  INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                      provider, payment_id, expires_at, next_check_at, created_at, updated_at)
  VALUES (p_order, 'instant_order', p_campaign, p_public_id, p_key, p_request_hash, p_quantity, p_amount,
          p_provider, p_payment_id, p_hold_until, p_now, p_now, p_now);
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(BODY(true));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(BODY(false));
}
