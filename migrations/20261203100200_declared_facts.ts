// Why: the birth date and priority group an application rests on are facts with a provenance: a provider's word, an imported list, or the resident's declaration that site staff check against an ID or a named proof at pickup.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    // the birth date given with the application, AES-256-GCM sealed (DATA_KEY), purged with the contacts
    t.text('birth_date_enc');
    t.text('birth_date_source');
    // '' group has none; otherwise how the group was established
    t.text('group_source');
  });
  await knex.raw(`ALTER TABLE applications
    ADD CONSTRAINT applications_birth_date_source_check CHECK (birth_date_source IN ('provider','declared')),
    ADD CONSTRAINT applications_group_source_check CHECK (group_source IN ('declared','list','provider'))`);
  // Applications made before provenance was recorded: their group was picked by the resident.
  await knex.raw("UPDATE applications SET group_source = 'declared' WHERE group_name <> ''");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumns('birth_date_enc', 'birth_date_source', 'group_source');
  });
}
