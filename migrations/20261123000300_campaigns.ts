// Why: a campaign holds its rules and schedule; its state is moved by time (the reconciler), not by hand.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('code').notNullable().unique();
    t.text('kind').notNullable();
    t.text('mode').notNullable();
    t.text('state').notNullable().defaultTo('draft');
    t.text('title_ko').notNullable();
    t.text('title_en').notNullable();
    t.text('description_ko').notNullable().defaultTo('');
    t.text('description_en').notNullable().defaultTo('');
    t.text('time_zone').notNullable().defaultTo('Asia/Seoul');
    t.timestamp('opens_at', { useTz: true }).notNullable();
    t.timestamp('closes_at', { useTz: true }).notNullable();
    t.timestamp('draw_at', { useTz: true }).notNullable();
    t.timestamp('claim_opens_at', { useTz: true }).notNullable();
    t.timestamp('claim_closes_at', { useTz: true }).notNullable();
    t.text('unit').notNullable();
    t.bigInteger('total').notNullable();
    t.bigInteger('denomination').notNullable();
    t.bigInteger('per_person_max').notNullable();
    t.text('partial').notNullable().defaultTo('skip');
    t.jsonb('eligibility').notNullable().defaultTo('{}');
    t.jsonb('groups').notNullable().defaultTo('[]');
    t.text('unclaimed_policy').notNullable().defaultTo('pass_down');
    t.integer('version').notNullable().defaultTo(1);
    t.uuid('created_by').references('staff.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('state_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE campaigns
      ADD CONSTRAINT campaigns_state_check CHECK (state IN ('draft','scheduled','open','closed','drawn','claiming','finished','cancelled')),
      ADD CONSTRAINT campaigns_kind_check CHECK (kind IN ('voucher','goods')),
      ADD CONSTRAINT campaigns_mode_check CHECK (mode IN ('lottery','reservation','instant')),
      ADD CONSTRAINT campaigns_unit_check CHECK (unit IN ('KRW','item')),
      ADD CONSTRAINT campaigns_partial_check CHECK (partial IN ('skip','partial')),
      ADD CONSTRAINT campaigns_window_check CHECK (opens_at < closes_at AND closes_at <= draw_at
        AND draw_at <= claim_opens_at AND claim_opens_at < claim_closes_at),
      ADD CONSTRAINT campaigns_amounts_check CHECK (total >= 0 AND denomination >= 1 AND per_person_max >= 1)`);
  // The reconciler looks up campaigns by state and due time every second.
  await knex.raw('CREATE INDEX campaigns_state_idx ON campaigns (state)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaigns');
}
