// Why: admission is now bounded by the stock left (domain/instant/waitingRoom.ts advanceCursor): a place can wait
// because everything left is someone's to buy, not because of the rate. The admission pass says so here, and a
// look reads it with the cursor, so the wait is told honestly (no "about N seconds" for a turn that comes only if
// stock comes back) and such places look again seconds later rather than every pass.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE instant_rooms ADD COLUMN held_back boolean NOT NULL DEFAULT false');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE instant_rooms DROP COLUMN held_back');
}
