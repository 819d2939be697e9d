// Why: a job added in every intake transaction NOTIFYs at commit, and PostgreSQL serialises notifying commits (~430/s here); the message row becomes the outbox and a relay adds jobs in batches.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    // true from the enqueueing transaction until the relay has added the message's send job
    t.boolean('awaiting_job').notNullable().defaultTo(false);
  });
  await knex.raw('CREATE INDEX messages_awaiting_job_idx ON messages (created_at) WHERE awaiting_job');
}

export async function down(knex: Knex): Promise<void> {
  // hand anything still waiting to graphile-worker directly, as enqueueNotice did before
  await knex.raw(
    `SELECT graphile_worker.add_job('send_message', json_build_object('id', id::text, 'channel', channel::text),
                                    max_attempts := 10, job_key := 'message:' || id::text)
       FROM messages WHERE awaiting_job`,
  );
  await knex.raw('DROP INDEX messages_awaiting_job_idx');
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('awaiting_job');
  });
}
