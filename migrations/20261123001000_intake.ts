// Why: what identity-verified intake needs beyond the agreed identities/applications schema: one-time-code
// challenges (hashes only), replay-proof inbound SMS, registered proxies with a cap, rate-limit counters that
// hold across instances, and per-application contact details that can be purged per campaign.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('verification_challenges', (t) => {
    t.uuid('id').primary();
    // 'sms' or 'email': where the code went
    t.text('channel').notNullable();
    // HMAC of the normalised phone number or address alone: cooldowns and lookups, never the raw value
    t.text('target_hash').notNullable();
    // the identity this challenge proves, already computed (HMAC of identifier + birth date)
    t.text('identity_key').notNullable();
    // HMAC(pepper, challenge id || code): the code itself is never stored
    t.text('code_hash').notNullable();
    t.smallint('attempts').notNullable().defaultTo(0);
    t.smallint('max_attempts').notNullable().defaultTo(5);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
    t.text('contact_enc').notNullable();
    t.date('birth_date').notNullable();
    t.text('lang').notNullable().defaultTo('ko');
    // 'self' (the resident) or 'proxy' (a registered helper verifying the person they help)
    t.text('purpose').notNullable().defaultTo('self');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    "ALTER TABLE verification_challenges ADD CONSTRAINT verification_challenges_channel_check CHECK (channel IN ('sms','email'))",
  );
  await knex.raw(
    'CREATE INDEX verification_challenges_target_idx ON verification_challenges (target_hash, created_at)',
  );

  await knex.schema.alterTable('identities', (t) => {
    // HMAC of the E.164 number alone, so an SMS sender's own applications can be found (STATUS, CANCEL)
    t.text('phone_hash');
    t.index(['phone_hash']);
  });

  await knex.schema.alterTable('applications', (t) => {
    // where the receipt and result go: AES-256-GCM ciphertext, purged per campaign
    t.text('contact_channel');
    t.text('contact_enc');
    t.text('region');
    t.integer('version').notNullable().defaultTo(1);
  });

  await knex.schema.createTable('proxies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('identity_id').notNullable().references('identities.id').unique();
    // 'family' or 'staff' (community-centre staff)
    t.text('kind').notNullable();
    t.text('label').notNullable().defaultTo('');
    // how many people this helper may apply for, over all campaigns
    t.integer('cap').notNullable();
    t.integer('used').notNullable().defaultTo(0);
    t.uuid('created_by').references('staff.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw(
    "ALTER TABLE proxies ADD CONSTRAINT proxies_check CHECK (kind IN ('family','staff') AND cap >= 1 AND used >= 0 AND used <= cap)",
  );

  await knex.schema.createTable('sms_inbound', (t) => {
    // the provider's message id: a repeated delivery hits this key and creates nothing
    t.text('message_sid').primary();
    t.text('from_hash').notNullable();
    t.text('command').notNullable();
    t.text('outcome').notNullable().defaultTo('');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // rate-limiter-flexible's PostgreSQL store (its own layout), created here so no request runs DDL.
  await knex.raw(`CREATE TABLE rate_limits (
    key varchar(255) PRIMARY KEY,
    points integer NOT NULL DEFAULT 0,
    expire bigint
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
  await knex.schema.dropTable('sms_inbound');
  await knex.schema.dropTable('proxies');
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumns('contact_channel', 'contact_enc', 'region', 'version');
  });
  await knex.schema.alterTable('identities', (t) => {
    t.dropIndex(['phone_hash']);
    t.dropColumn('phone_hash');
  });
  await knex.schema.dropTable('verification_challenges');
}
