// Why: one place in the queue per person (the key), ranks unique per sale, arrivals numbered by a sequence (no hot row).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One sequence for every sale's later arrivals: nextval takes no row lock, so a burst at opening never queues
  // behind one counter. A sale's arrivals are ranked densely from it after the fact (rank = pre_count + n).
  await knex.raw('CREATE SEQUENCE instant_arrival_seq');
  await knex.raw(`CREATE TABLE instant_queue (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    identity_id uuid NOT NULL,
    -- the public name of this place in the queue (the shuffle hashes it); no personal data
    ticket text NOT NULL,
    joined_at timestamptz NOT NULL,
    pre boolean NOT NULL,
    arrival bigint,
    rank bigint,
    contact_channel text,
    contact_enc text,
    lang text NOT NULL DEFAULT 'ko',
    turn_notified_at timestamptz,
    token_jti text,
    token_expires_at timestamptz,
    token_used_at timestamptz,
    PRIMARY KEY (campaign_id, identity_id),
    CONSTRAINT instant_queue_ticket_key UNIQUE (campaign_id, ticket)
  )`);
  await knex.raw('CREATE UNIQUE INDEX instant_queue_rank_key ON instant_queue (campaign_id, rank)');
  await knex.raw(
    'CREATE INDEX instant_queue_arrival_idx ON instant_queue (campaign_id, arrival) WHERE rank IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instant_queue');
  await knex.raw('DROP SEQUENCE instant_arrival_seq');
}
