// Resident sessions signed out before they expire: the token's id (jti) and when it would have expired. A resident
// token is checked without a read (jose, then remembered: the rush depends on it), so a sign-out is kept here for
// every web process to learn of (src/commands/residentSignOuts.ts); a row goes once its token has expired.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('resident_sign_outs', (t) => {
    t.uuid('jti').primary();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('signed_out_at', { useTz: true }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('resident_sign_outs');
}
