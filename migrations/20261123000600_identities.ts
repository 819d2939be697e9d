// Why: a verified person, keyed by an HMAC of a normalised identifier; raw identifiers are never stored.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('identities', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // HMAC-SHA256(pepper, normalised identifier), hex
    t.text('identity_key').notNullable().unique();
    // how the person proved who they are: 'sms', 'email', 'oidc'
    t.text('method').notNullable();
    // AES-256-GCM ciphertexts (base64url), purged after the campaign's retention period
    t.text('phone_enc');
    t.text('email_enc');
    t.smallint('birth_year');
    t.date('birth_date');
    t.text('region');
    t.text('lang').notNullable().defaultTo('ko');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('identities');
}
