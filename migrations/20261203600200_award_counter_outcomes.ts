// Why: the counter records where, how (online or synced from offline) and by whom an award was collected, and a
// refusal at the counter (ID does not match, no proof of group) is its own status, not an expiry.
import type { Knex } from 'knex';

const STATUSES = ['won', 'waitlisted', 'promoted', 'collected', 'expired'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE awards
    ADD COLUMN collected_site text,
    ADD COLUMN collected_via text,
    ADD COLUMN collected_ref text,
    ADD COLUMN refused_at timestamptz,
    ADD COLUMN refused_by text,
    ADD COLUMN refusal_reason text`);
  await knex.raw('ALTER TABLE awards DROP CONSTRAINT awards_status_check');
  await knex.raw(
    `ALTER TABLE awards ADD CONSTRAINT awards_status_check CHECK (status IN (${[...STATUSES, 'refused'].map((s) => `'${s}'`).join(',')}))`,
  );
  // The counter lists a site's pickups: the draw's winners by site, and awards passed down to the site.
  await knex.raw("CREATE INDEX awards_site_idx ON awards (campaign_id, site) WHERE outcome = 'won'");
  await knex.raw(
    'CREATE INDEX awards_held_site_idx ON awards (campaign_id, held_site) WHERE held_site IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX awards_held_site_idx');
  await knex.raw('DROP INDEX awards_site_idx');
  await knex.raw("UPDATE awards SET status = 'expired' WHERE status = 'refused'");
  await knex.raw('ALTER TABLE awards DROP CONSTRAINT awards_status_check');
  await knex.raw(
    `ALTER TABLE awards ADD CONSTRAINT awards_status_check CHECK (status IN (${STATUSES.map((s) => `'${s}'`).join(',')}))`,
  );
  await knex.raw(`ALTER TABLE awards DROP COLUMN collected_site, DROP COLUMN collected_via,
    DROP COLUMN collected_ref, DROP COLUMN refused_at, DROP COLUMN refused_by, DROP COLUMN refusal_reason`);
}
