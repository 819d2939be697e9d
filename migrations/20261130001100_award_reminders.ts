// Why: winners are reminded before their pickup slot (or their claim deadline) exactly once, however many
// instances run the reconciler: one row per held award, sent (or skipped) under a row lock.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE award_reminders (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    public_id text COLLATE "C" NOT NULL,
    remind_at timestamptz NOT NULL,
    -- set once: when the reminder was sent, or why it was not (collected, expired, too late)
    done_at timestamptz,
    outcome text,
    PRIMARY KEY (campaign_id, public_id)
  )`);
  // The reconciler's one-second pass reads only what is due and not yet done.
  await knex.raw('CREATE INDEX award_reminders_due_idx ON award_reminders (remind_at) WHERE done_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('award_reminders');
}
