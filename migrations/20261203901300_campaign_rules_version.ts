// Why: an application is checked against the version of the rules it was judged by, and that version was the
// campaign's own, which every state change bumps too: the opening made every request judged a moment before it
// conflict. rules_version moves only when the rules an applicant is judged by change (an edit, the slots).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns ADD COLUMN rules_version integer NOT NULL DEFAULT 1');
  await knex.raw('UPDATE campaigns SET rules_version = version');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP COLUMN rules_version');
}
