// Why: after each commit of instant_buy_many the service moved every new order created -> pending with its answer
// in a second statement (an UPDATE ... FROM json_to_recordset a batch: 1,956 ms of database time for 4,000 orders
// in a 10,000-resident sell-out, the most after instant_buy_many, and its own round trips and commits). The answer
// (the checkout's address is computed, not asked for), pending_at and the first check are known before the call,
// so the order is now written pending with them. 'created' is skipped for instant orders because it meant only
// "the provider has not been told yet", and nothing reads it so: a replay of an open instant order registers its
// checkout again (registration is idempotent at both providers), the reconciler treats created and pending alike,
// and a checkout the provider never heard of (registration failed, or the process died after commit) expires with
// its hold, which gives the stock back. Instant orders were never audited one by one (the sale's purchases are, a
// batch at a time); award orders still go created -> pending, audited, in openCheckout. The body is the earlier
// one but for the order's INSERT.
import type { Knex } from 'knex';
import { up as createBuyMany } from './20261203901400_instant_buy_many.js';

/** The function as this migration made it (a later one's down puts it back). */
export const BUY_MANY_PENDING = `
CREATE OR REPLACE FUNCTION instant_buy_many(p_items json) RETURNS TABLE (n int, refusal text) LANGUAGE plpgsql AS $fn$
DECLARE
  r instant_buy_item;
  v_shard smallint;
  v_bought int[] := '{}';
BEGIN
  FOR r IN SELECT * FROM json_populate_recordset(NULL::instant_buy_item, p_items) i
            ORDER BY i.identity_id, i.n LOOP
    n := r.n;
    UPDATE instant_queue q SET token_used_at = r.now
     WHERE q.campaign_id = r.campaign_id AND q.identity_id = r.identity_id AND q.token_jti = r.jti
       AND q.token_used_at IS NULL AND q.token_expires_at > r.now;
    IF NOT FOUND THEN refusal := 'admission_used'; RETURN NEXT; CONTINUE; END IF;

    INSERT INTO instant_purchases (id, public_id, campaign_id, identity_id, quantity, idempotency_key,
                                   fingerprint, takes, order_id, hold_expires_at, created_at)
    SELECT r.purchase_id, r.public_id, c.id, r.identity_id, r.quantity, r.idempotency_key, r.fingerprint,
           jsonb_build_array(jsonb_build_object('shard', r.home, 'quantity', r.quantity)), r.order_id,
           r.hold_expires_at, r.now
      FROM campaigns c
     WHERE c.id = r.campaign_id AND c.state = 'open' AND now() >= c.opens_at AND now() < c.closes_at
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      UPDATE instant_queue q SET token_used_at = NULL
       WHERE q.campaign_id = r.campaign_id AND q.identity_id = r.identity_id AND q.token_jti = r.jti;
      refusal := 'purchase_refused'; RETURN NEXT; CONTINUE;
    END IF;
    v_bought := v_bought || r.n;
  END LOOP;
  IF cardinality(v_bought) = 0 THEN RETURN; END IF;

  PERFORM 1 FROM instant_stock s
    WHERE s.campaign_id IN (SELECT i.campaign_id FROM json_populate_recordset(NULL::instant_buy_item, p_items) i)
    ORDER BY s.campaign_id, s.shard FOR UPDATE;

  FOR r IN SELECT * FROM json_populate_recordset(NULL::instant_buy_item, p_items) i
            WHERE i.n = ANY (v_bought) ORDER BY i.n LOOP
    n := r.n;
    -- The home row, or the next after it that can serve the take alone: buyers spread as their homes do.
    SELECT s.shard INTO v_shard FROM instant_stock s
     WHERE s.campaign_id = r.campaign_id AND s.remaining >= r.quantity
     ORDER BY (s.shard - r.home + 32768) % 32768 LIMIT 1;
    IF NOT FOUND THEN
      DELETE FROM instant_purchases p WHERE p.id = r.purchase_id;
      UPDATE instant_queue q SET token_used_at = NULL
       WHERE q.campaign_id = r.campaign_id AND q.identity_id = r.identity_id AND q.token_jti = r.jti;
      refusal := 'home_row_dry'; RETURN NEXT; CONTINUE;
    END IF;
    UPDATE instant_stock s SET remaining = s.remaining - r.quantity
     WHERE s.campaign_id = r.campaign_id AND s.shard = v_shard;
    IF v_shard <> r.home THEN
      UPDATE instant_purchases p
         SET takes = jsonb_build_array(jsonb_build_object('shard', v_shard, 'quantity', r.quantity))
       WHERE p.id = r.purchase_id;
    END IF;
    -- Pending from the start, with its answer and first check: see the header.
    INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                        provider, payment_id, expires_at, state, pending_at, next_check_at, response,
                        created_at, updated_at)
    VALUES (r.order_id, 'instant_order', r.campaign_id, r.public_id, r.idempotency_key, r.request_hash,
            r.quantity, r.amount, r.provider, r.payment_id, r.hold_expires_at, 'pending', r.now,
            r.next_check_at, r.response, r.now, r.now);
    refusal := NULL; RETURN NEXT;
  END LOOP;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TYPE instant_buy_item ADD ATTRIBUTE next_check_at timestamptz, ADD ATTRIBUTE response jsonb',
  );
  await knex.raw(BUY_MANY_PENDING);
}

/** The earlier function and type, as 20261203901400 made them. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION instant_buy_many(json)');
  await knex.raw('DROP TYPE instant_buy_item');
  await createBuyMany(knex);
}
