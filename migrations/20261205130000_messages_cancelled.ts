// A message may be cancelled before it is sent: a turn notice still queued when its sale sold out or closed would
// send people to nothing. Cancelled is its own end, not a failure: an admin's "resend the failed" leaves it alone.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE messages DROP CONSTRAINT messages_status_check,
      ADD CONSTRAINT messages_status_check
        CHECK (status IN ('queued','sending','sent','delivered','failed','undelivered','cancelled'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE messages SET status = 'failed' WHERE status = 'cancelled'`);
  await knex.raw(`
    ALTER TABLE messages DROP CONSTRAINT messages_status_check,
      ADD CONSTRAINT messages_status_check
        CHECK (status IN ('queued','sending','sent','delivered','failed','undelivered'))`);
}
