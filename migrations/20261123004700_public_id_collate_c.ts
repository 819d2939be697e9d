// Why: public ids in the frozen roster and the awards compare bytewise (COLLATE "C"), as draw-v1 orders them, whatever the database's locale; "C" comparisons are also the cheapest for the million-row index builds at close and draw.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE roster_entries ALTER COLUMN public_id TYPE text COLLATE "C"');
  await knex.raw('ALTER TABLE awards ALTER COLUMN public_id TYPE text COLLATE "C"');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE awards ALTER COLUMN public_id TYPE text COLLATE "default"');
  await knex.raw('ALTER TABLE roster_entries ALTER COLUMN public_id TYPE text COLLATE "default"');
}
