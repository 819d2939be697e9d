// Why: a voucher award is a right to buy at a discount; the campaign says the voucher unit, the discount and how long issued vouchers and checkouts last.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    // face value of one issued voucher (KRW); null = one voucher per denomination
    t.bigInteger('voucher_unit');
    // discount in basis points (1000 = 10 %): the winner pays face value * (10000 - discount_bp) / 10000
    t.integer('discount_bp').notNullable().defaultTo(0);
    // days an issued voucher can be spent
    t.integer('voucher_valid_days').notNullable().defaultTo(1825);
    // minutes a checkout (an open order) is held before it expires
    t.integer('checkout_minutes').notNullable().defaultTo(30);
  });
  await knex.raw(`ALTER TABLE campaigns
    ADD CONSTRAINT campaigns_price_rules_check CHECK (
      (voucher_unit IS NULL OR voucher_unit >= 1) AND discount_bp BETWEEN 0 AND 9999
      AND voucher_valid_days >= 1 AND checkout_minutes BETWEEN 1 AND 1440)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP CONSTRAINT campaigns_price_rules_check');
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropColumns('voucher_unit', 'discount_bp', 'voucher_valid_days', 'checkout_minutes');
  });
}
