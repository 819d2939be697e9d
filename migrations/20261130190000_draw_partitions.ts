// Why: a campaign's frozen roster and its draw results (a million rows each) are written into the campaign's own new partition, without indexes, then indexed with one sort per index and attached in the same transaction: per-row index insertions and per-row foreign-key checks took 3.5x the server CPU of the load itself (1M awards: 10.7 s vs 2.6 s). Partitions carry no foreign key (attaching one would lock campaigns against every writer and can deadlock two closes); a trigger on campaigns deletes their rows instead.
import type { Knex } from 'knex';

// Each table's indexes, as the earlier migrations made them (the primary keys go in CREATE TABLE).
const INDEXES = {
  roster_entries: [
    'CREATE UNIQUE INDEX roster_entries_public_id_idx ON roster_entries (campaign_id, public_id)',
  ],
  awards: [
    'CREATE UNIQUE INDEX awards_public_id_idx ON awards (campaign_id, public_id)',
    // The expiry sweep looks only at awards still held.
    "CREATE INDEX awards_deadline_idx ON awards (claim_deadline) WHERE status IN ('won','promoted')",
  ],
};
const KEYS = { roster_entries: 'campaign_id, idx', awards: 'campaign_id, rank' };
type Table = keyof typeof KEYS;
const TABLES: Table[] = ['roster_entries', 'awards'];

/** Renames table to <table>_old, with its indexes, so the new table can take the names. */
async function renameOld(knex: Knex, table: Table): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} RENAME TO ${table}_old`);
  const { rows } = await knex.raw<{ rows: Array<{ name: string }> }>(
    'SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ?::regclass',
    [`${table}_old`],
  );
  for (const { name } of rows) await knex.raw(`ALTER INDEX ${name} RENAME TO ${name}_old`);
}

/** The new table: the old one's columns (types, collations, NOT NULL, CHECKs), its keys and indexes. */
async function createLike(knex: Knex, table: Table, tail: string): Promise<void> {
  await knex.raw(
    `CREATE TABLE ${table} (LIKE ${table}_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (${KEYS[table]})${tail}`,
  );
  for (const sql of INDEXES[table]) await knex.raw(sql);
}

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await renameOld(knex, table);
    await createLike(knex, table, ') PARTITION BY LIST (campaign_id)');
    // One partition per campaign that has rows, with the parent's indexes; the rows moved in.
    const { rows } = await knex.raw<{ rows: Array<{ id: string }> }>(
      `SELECT DISTINCT campaign_id::text AS id FROM ${table}_old`,
    );
    for (const { id } of rows) {
      await knex.raw(
        `CREATE TABLE ${table}_${id.replaceAll('-', '')} PARTITION OF ${table} FOR VALUES IN ('${id}')`,
      );
    }
    await knex.raw(`INSERT INTO ${table} SELECT * FROM ${table}_old`);
    await knex.raw(`DROP TABLE ${table}_old`);
  }
  // What ON DELETE CASCADE did. A campaign's partitions stay, empty: dropping one would lock its parent.
  await knex.raw(`CREATE FUNCTION delete_campaign_draw_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM awards WHERE campaign_id = OLD.id;
      DELETE FROM roster_entries WHERE campaign_id = OLD.id;
      RETURN OLD;
    END $$`);
  await knex.raw(`CREATE TRIGGER campaigns_delete_draw_rows AFTER DELETE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION delete_campaign_draw_rows()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER campaigns_delete_draw_rows ON campaigns');
  await knex.raw('DROP FUNCTION delete_campaign_draw_rows()');
  for (const table of TABLES) {
    await renameOld(knex, table);
    await createLike(knex, table, ', FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE)');
    await knex.raw(`INSERT INTO ${table} SELECT * FROM ${table}_old`);
    await knex.raw(`DROP TABLE ${table}_old`); // and its partitions
  }
}
