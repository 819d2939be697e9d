// Why: an OIDC nonce proves one sign-in; remembering the spent ones (until the proof expires) makes a replayed id_token + proof fail.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE oidc_spent_nonces (
    -- the jti of the signed nonce proof (or browser flow cookie) that carried the nonce
    proof_id text PRIMARY KEY,
    -- when the proof would have expired anyway; housekeeping deletes rows past it
    expires_at timestamptz NOT NULL
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE oidc_spent_nonces');
}
