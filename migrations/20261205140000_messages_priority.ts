// A message carries the priority its send job gets (graphile-worker: lower runs sooner), set from its kind when it
// is enqueued (notify/notice.ts SEND_PRIORITY): at the SMS rate a backlog of thousands (a lottery's results) must
// not hold a sign-in code past its minutes. The relay picks waiting messages by it too.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages ADD COLUMN priority smallint NOT NULL DEFAULT 0');
  await knex.raw('DROP INDEX messages_awaiting_job_idx');
  await knex.raw(
    'CREATE INDEX messages_awaiting_job_idx ON messages (priority, created_at) WHERE awaiting_job',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX messages_awaiting_job_idx');
  await knex.raw('CREATE INDEX messages_awaiting_job_idx ON messages (created_at) WHERE awaiting_job');
  await knex.raw('ALTER TABLE messages DROP COLUMN priority');
}
