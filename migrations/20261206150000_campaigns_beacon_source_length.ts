// A campaign's own beacon sentence is now set in the admin form and the API, which keep it to 5-300 characters
// (domain/beacon.ts BEACON_SOURCE_MIN/MAX, as BEACON_SOURCE's own limit); the database holds it to the same.
// NOT VALID: a sentence set by hand before (the only way there was) is not checked, so the migration cannot fail
// on one; every write from now on is.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE campaigns ADD CONSTRAINT campaigns_beacon_source_length
       CHECK (char_length(beacon_source) BETWEEN 5 AND 300) NOT VALID`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP CONSTRAINT campaigns_beacon_source_length');
}
