// Why: the draw's results, one row per roster entry in rank order, written in the draw's transaction; status then follows collection, expiry and promotion.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Joined to roster_entries by (campaign_id, public_id); no foreign key, so a million-row insert checks nothing per row.
  await knex.raw(`CREATE TABLE awards (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    rank integer NOT NULL,
    public_id text NOT NULL,
    ticket text NOT NULL,
    -- the published result (draw-v1 section 6), never changed
    outcome text NOT NULL,
    amount bigint NOT NULL,
    site text NOT NULL,
    slot text NOT NULL,
    waitlist integer NOT NULL,
    -- what happened since: won -> collected | expired; waitlisted -> promoted -> collected | expired
    status text NOT NULL,
    -- what a promoted applicant holds (the award passed down to them)
    held_amount bigint,
    held_site text,
    held_slot text,
    promoted_from_rank integer,
    claim_deadline timestamptz,
    collected_at timestamptz,
    collected_by text,
    expired_at timestamptz,
    promoted_at timestamptz,
    PRIMARY KEY (campaign_id, rank),
    CONSTRAINT awards_outcome_check CHECK (outcome IN ('won','waitlisted')),
    CONSTRAINT awards_status_check CHECK (status IN ('won','waitlisted','promoted','collected','expired'))
  )`);
  await knex.raw('CREATE UNIQUE INDEX awards_public_id_idx ON awards (campaign_id, public_id)');
  // The expiry sweep looks only at awards still held.
  await knex.raw(
    "CREATE INDEX awards_deadline_idx ON awards (claim_deadline) WHERE status IN ('won','promoted')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('awards');
}
