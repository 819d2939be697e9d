// Why: instant_buy_many ran five statements a buyer in a PL/pgSQL loop (spend the token, insert the purchase, find
// a stock row, take from it, insert the order): in a 10,000-resident sell-out it was the most of PostgreSQL's time,
// 0.75 ms a buyer by pg_stat_statements, and every batch held the sale's stock rows locked through all of its
// order inserts and its commit, so batches queued behind each other there. Now each step is one statement for the
// whole batch, and the orders are written before the stock rows are locked. Same answers, same writes:
// - a token is spent by the first item (in batch order) of each person that holds it live, the queue rows locked
//   in identity order first, as the loop locked them, so concurrent batches cannot deadlock;
// - a purchase the per-person keys refuse (or a sale not open) has its token given back: 'purchase_refused';
// - the stock rows are then locked in shard order, as before; buyers whose home row can serve them, in batch
//   order, take from it together (a running sum a row); the rest go one by one, as the loop did, to the next row
//   that can serve them alone, and where none can, their purchase and order are deleted and their token given
//   back: 'home_row_dry'.
import type { Knex } from 'knex';
import { BUY_MANY_PENDING } from './20261203901700_instant_orders_pending.js';

const BUY_MANY_SETS = `
CREATE OR REPLACE FUNCTION instant_buy_many(p_items json) RETURNS TABLE (n int, refusal text) LANGUAGE plpgsql AS $fn$
DECLARE
  v_items instant_buy_item[];
  v_spent int[];
  v_bought int[];
  v_homed int[];
  v_dry int[] := '{}';
  r instant_buy_item;
  v_shard smallint;
BEGIN
  SELECT array_agg(i ORDER BY i.n) INTO v_items FROM json_populate_recordset(NULL::instant_buy_item, p_items) i;
  IF v_items IS NULL THEN RETURN; END IF;

  -- The queue rows, locked in identity order (LockRows above the sort), then the first item of each person spends.
  PERFORM 1 FROM instant_queue q JOIN unnest(v_items) i
      ON q.campaign_id = i.campaign_id AND q.identity_id = i.identity_id
    ORDER BY q.campaign_id, q.identity_id FOR UPDATE OF q;
  WITH first AS (
    SELECT DISTINCT ON (i.campaign_id, i.identity_id) i.n, i.campaign_id, i.identity_id, i.now
      FROM unnest(v_items) i JOIN instant_queue q
        ON q.campaign_id = i.campaign_id AND q.identity_id = i.identity_id AND q.token_jti = i.jti
       AND q.token_used_at IS NULL AND q.token_expires_at > i.now
     ORDER BY i.campaign_id, i.identity_id, i.n
  ), spent AS (
    UPDATE instant_queue q SET token_used_at = f.now
      FROM first f
     WHERE q.campaign_id = f.campaign_id AND q.identity_id = f.identity_id
    RETURNING f.n
  )
  SELECT coalesce(array_agg(s.n), '{}') INTO v_spent FROM spent s;

  WITH made AS (
    INSERT INTO instant_purchases (id, public_id, campaign_id, identity_id, quantity, idempotency_key,
                                   fingerprint, takes, order_id, hold_expires_at, created_at)
    SELECT i.purchase_id, i.public_id, c.id, i.identity_id, i.quantity, i.idempotency_key, i.fingerprint,
           jsonb_build_array(jsonb_build_object('shard', i.home, 'quantity', i.quantity)), i.order_id,
           i.hold_expires_at, i.now
      FROM unnest(v_items) i JOIN campaigns c ON c.id = i.campaign_id
     WHERE i.n = ANY (v_spent) AND c.state = 'open' AND now() >= c.opens_at AND now() < c.closes_at
     ORDER BY i.n
    ON CONFLICT DO NOTHING
    RETURNING id
  )
  SELECT coalesce(array_agg(i.n), '{}') INTO v_bought FROM unnest(v_items) i JOIN made ON made.id = i.purchase_id;

  IF cardinality(v_bought) < cardinality(v_spent) THEN
    UPDATE instant_queue q SET token_used_at = NULL
      FROM unnest(v_items) i
     WHERE i.n = ANY (v_spent) AND NOT i.n = ANY (v_bought)
       AND q.campaign_id = i.campaign_id AND q.identity_id = i.identity_id AND q.token_jti = i.jti;
  END IF;

  IF cardinality(v_bought) > 0 THEN
    -- Pending from the start, with its answer and first check (20261203901700); deleted below if no row serves.
    INSERT INTO orders (id, purpose, campaign_id, subject, idempotency_key, request_hash, face_value, amount,
                        provider, payment_id, expires_at, state, pending_at, next_check_at, response,
                        created_at, updated_at)
    SELECT i.order_id, 'instant_order', i.campaign_id, i.public_id, i.idempotency_key, i.request_hash,
           i.quantity, i.amount, i.provider, i.payment_id, i.hold_expires_at, 'pending', i.now,
           i.next_check_at, i.response, i.now, i.now
      FROM unnest(v_items) i WHERE i.n = ANY (v_bought) ORDER BY i.n;

    PERFORM 1 FROM instant_stock s
      WHERE s.campaign_id IN (SELECT i.campaign_id FROM unnest(v_items) i WHERE i.n = ANY (v_bought))
      ORDER BY s.campaign_id, s.shard FOR UPDATE;

    -- Home rows first: each row serves its buyers in batch order while their running sum fits.
    WITH b AS (
      SELECT i.n, i.campaign_id, i.home, i.quantity,
             sum(i.quantity) OVER (PARTITION BY i.campaign_id, i.home ORDER BY i.n) AS upto
        FROM unnest(v_items) i WHERE i.n = ANY (v_bought)
    ), fit AS (
      SELECT b.* FROM b JOIN instant_stock s ON s.campaign_id = b.campaign_id AND s.shard = b.home
       WHERE b.upto <= s.remaining
    ), took AS (
      UPDATE instant_stock s SET remaining = s.remaining - t.total
        FROM (SELECT fit.campaign_id, fit.home, sum(fit.quantity) AS total FROM fit GROUP BY 1, 2) t
       WHERE s.campaign_id = t.campaign_id AND s.shard = t.home
    )
    SELECT coalesce(array_agg(fit.n), '{}') INTO v_homed FROM fit;

    -- The rest one by one: the next row after home that can serve the take alone, as buyers spread by home.
    FOR r IN SELECT * FROM unnest(v_items) i
              WHERE i.n = ANY (v_bought) AND NOT i.n = ANY (v_homed) ORDER BY i.n LOOP
      SELECT s.shard INTO v_shard FROM instant_stock s
       WHERE s.campaign_id = r.campaign_id AND s.remaining >= r.quantity
       ORDER BY (s.shard - r.home + 32768) % 32768 LIMIT 1;
      IF NOT FOUND THEN
        DELETE FROM orders o WHERE o.id = r.order_id;
        DELETE FROM instant_purchases p WHERE p.id = r.purchase_id;
        UPDATE instant_queue q SET token_used_at = NULL
         WHERE q.campaign_id = r.campaign_id AND q.identity_id = r.identity_id AND q.token_jti = r.jti;
        v_dry := v_dry || r.n;
        CONTINUE;
      END IF;
      UPDATE instant_stock s SET remaining = s.remaining - r.quantity
       WHERE s.campaign_id = r.campaign_id AND s.shard = v_shard;
      UPDATE instant_purchases p
         SET takes = jsonb_build_array(jsonb_build_object('shard', v_shard, 'quantity', r.quantity))
       WHERE p.id = r.purchase_id;
    END LOOP;
  END IF;

  RETURN QUERY
    SELECT i.n, CASE WHEN NOT i.n = ANY (v_spent) THEN 'admission_used'
                     WHEN NOT i.n = ANY (v_bought) THEN 'purchase_refused'
                     WHEN i.n = ANY (v_dry) THEN 'home_row_dry' END
      FROM unnest(v_items) i ORDER BY i.n;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(BUY_MANY_SETS);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(BUY_MANY_PENDING);
}
