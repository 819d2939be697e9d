// Why: one application per identity per campaign, enforced by a unique key rather than a read before the write.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('identity_id').notNullable().references('identities.id');
    // the only id an auditor or the public ever sees
    t.text('public_id').notNullable().unique();
    t.text('channel').notNullable();
    // the registered helper who applied on the person's behalf, when channel = 'proxy'
    t.uuid('proxy_id');
    // in the campaign's unit (KRW or items), a multiple of its denomination
    t.bigInteger('request').notNullable();
    // ranked site ids, most wanted first
    t.specificType('preferences', 'text[]').notNullable().defaultTo('{}');
    t.text('group_name').notNullable().defaultTo('');
    t.integer('weight').notNullable().defaultTo(1);
    t.text('lang').notNullable().defaultTo('ko');
    // 'active' or 'withdrawn'; only active applications enter the roster
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['campaign_id', 'identity_id']);
  });
  await knex.raw(`
    ALTER TABLE applications
      ADD CONSTRAINT applications_channel_check CHECK (channel IN ('web','sms','proxy','api')),
      ADD CONSTRAINT applications_status_check CHECK (status IN ('active','withdrawn')),
      ADD CONSTRAINT applications_amounts_check CHECK (request >= 1 AND weight >= 1)`);
  // The roster is read in public_id order per campaign; intake views group by hour and channel.
  await knex.raw(
    "CREATE INDEX applications_roster_idx ON applications (campaign_id, public_id) WHERE status = 'active'",
  );
  await knex.raw('CREATE INDEX applications_intake_idx ON applications (campaign_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('applications');
}
