// Whom residents ask about a campaign (its office's name, phone, email and hours, in Korean and English): only sites
// had a phone, so a voucher campaign (no site), a cancelled one or a refused award told nobody where to turn. Null:
// none given, as for every campaign made before.
import type { Knex } from 'knex';

const COLUMNS: Array<[string, number]> = [
  ['contact_name_ko', 100],
  ['contact_name_en', 100],
  ['contact_phone', 40],
  ['contact_email', 200],
  ['contact_hours_ko', 200],
  ['contact_hours_en', 200],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE campaigns ${COLUMNS.map(
      ([name, max]) => `ADD COLUMN ${name} text CHECK (char_length(${name}) BETWEEN 1 AND ${max})`,
    ).join(', ')}`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE campaigns ${COLUMNS.map(([name]) => `DROP COLUMN ${name}`).join(', ')}`);
}
