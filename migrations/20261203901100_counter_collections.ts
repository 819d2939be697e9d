// Why: every collection appended to the one audit chain in its own transaction, so the counters of a whole
// city queued on the chain's lock, held through each commit (sampled at 8 staff: 3.5 sessions waiting in
// audit_append). A collection is now recorded here, in its transaction, with its staff account and site; the
// reconciler appends the recorded ones to the chain in batches (commands/auditCollections.ts) and marks them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE counter_collections (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    public_id text COLLATE "C" NOT NULL,
    rank integer NOT NULL,
    site_id text NOT NULL,
    slot_id text NOT NULL,
    amount bigint NOT NULL,
    -- 'staff:<id>', the audit entry's actor
    actor text NOT NULL,
    via text NOT NULL,
    -- how the award was found: a typed 'code' or a scanned 'token'
    found_by text NOT NULL,
    -- when the press was recorded (the audit entry's time), and for an offline record when it was handed over
    recorded_at timestamptz NOT NULL,
    handed_over_at timestamptz,
    offline_ref text,
    -- set when its award.collected entry is in the audit log
    audited_at timestamptz,
    PRIMARY KEY (campaign_id, public_id)
  )`);
  await knex.raw(
    'CREATE INDEX counter_collections_unaudited_idx ON counter_collections (recorded_at) WHERE audited_at IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('counter_collections');
}
