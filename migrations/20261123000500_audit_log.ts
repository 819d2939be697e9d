// Why: an append-only, hash-chained record of state changes, staff actions and draws, so an edited row shows.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('subject').notNullable();
    t.jsonb('data').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
  });
  await knex.raw('CREATE INDEX audit_log_subject_idx ON audit_log (subject, seq)');
  // Append-only: updates and deletes are refused by the database itself, not only by the code.
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.raw('DROP FUNCTION audit_log_append_only()');
}
