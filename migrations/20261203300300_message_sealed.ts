// Why: a message whose text holds a one-time or claim code is stored sealed under DATA_KEY, not readable in the table.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // true: subject, body and html hold AES-256-GCM ciphertext, opened only when sending or on the development outbox
  await knex.raw('ALTER TABLE messages ADD COLUMN sealed boolean NOT NULL DEFAULT false');
  // Codes already written in clear before this change: those no longer waiting to be sent lose their text.
  await knex.raw(`UPDATE messages SET body = '[removed: held a one-time code]', html = NULL
                   WHERE kind = 'otp' AND status NOT IN ('queued', 'sending')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages DROP COLUMN sealed');
}
