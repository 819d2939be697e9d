// Why: an audit entry took three round trips under the chain's one lock (lock, read the head, insert), so
// every audited change of the whole service queued behind the slowest of them; at a counter under load that
// was most of a collection's time. One call now: lock, read the head and insert with the hash computed in the
// database from the canonical body the application sends in two halves around the sequence number
// (src/audit/log.ts), so the bytes hashed are the ones hashEntry (src/audit/chain.ts) hashes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
CREATE FUNCTION audit_append(
  p_at timestamptz, p_actor text, p_action text, p_subject text, p_data jsonb,
  p_body_before_seq text, p_body_after_seq text
) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_seq bigint;
  v_prev text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit_log'));
  -- A statement of its own after the lock: it sees the head the previous holder committed.
  SELECT seq, hash INTO v_seq, v_prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
  VALUES (v_seq, p_at, p_actor, p_action, p_subject, p_data, v_prev,
          encode(sha256(convert_to(v_prev || E'\\n' || p_body_before_seq || v_seq::text || p_body_after_seq,
                                   'UTF8')), 'hex'));
  RETURN v_seq;
END
$fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS audit_append');
}
