// A message may be cancelled before it is sent: a turn notice still queued when its sale sold out or closed would
// send people to nothing, as would any notice of a campaign an admin cancelled. Cancelled is its own end, not a
// failure: an admin's "resend the failed" leaves it alone.
import type { Knex } from 'knex';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered'];

/** The check added NOT VALID, then validated: the validation reads the rows without holding off the sends. */
async function allowStatuses(knex: Knex, statuses: string[]) {
  const list = statuses.map((s) => `'${s}'`).join(',');
  await knex.raw(`ALTER TABLE messages DROP CONSTRAINT messages_status_check,
    ADD CONSTRAINT messages_status_check CHECK (status IN (${list})) NOT VALID`);
  await knex.raw('ALTER TABLE messages VALIDATE CONSTRAINT messages_status_check');
}

export async function up(knex: Knex): Promise<void> {
  await allowStatuses(knex, [...STATUSES, 'cancelled']);
}

export async function down(knex: Knex): Promise<void> {
  // The code before this has no end that is not a failure: cancelled ones become failed, their reason kept in
  // error_code (a "resend the failed" there would send them: an admin reading the reasons can leave them).
  await knex.raw(`UPDATE messages SET status = 'failed', failed_at = updated_at WHERE status = 'cancelled'`);
  await allowStatuses(knex, STATUSES);
}
