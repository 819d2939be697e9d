// Why: a lottery's commitments and outcome live beside the campaign: the sealed operator secret and its published commitment from the opening, the roster root from the close, the beacon and results from the draw.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('draws', (t) => {
    t.uuid('campaign_id').primary().references('campaigns.id').onDelete('CASCADE');
    t.text('version').notNullable().defaultTo('draw-v1');
    // AES-256-GCM under DATA_KEY (identity/crypto.ts encryptText), bound to the campaign id; revealed at the draw
    t.text('secret_enc').notNullable();
    // hex(SHA-256(secret)), public from the opening
    t.text('seed_commitment').notNullable();
    // which public value will be the beacon, named before anyone can know it
    t.text('beacon_source').notNullable();
    // the draw-v1 rules as canonical JSON, fixed at the opening
    t.text('rules').notNullable();
    t.timestamp('committed_at', { useTz: true }).notNullable();
    // set at the close
    t.text('roster_root');
    t.integer('roster_size');
    t.timestamp('frozen_at', { useTz: true });
    // set after the close, by an admin or the configured BEACON_URL
    t.text('beacon');
    t.text('beacon_recorded_by');
    t.timestamp('beacon_recorded_at', { useTz: true });
    // the first time the reconciler found the draw due without a beacon (the audit entry is written once)
    t.timestamp('beacon_missing_since', { useTz: true });
    // set by the draw, in the same transaction as the awards
    t.text('secret');
    t.text('seed');
    t.text('results_hash');
    t.timestamp('drawn_at', { useTz: true });
    // claim codes are HMAC(claim_key, application id): sealed like the secret, never published
    t.text('claim_key_enc');
    // the results fan-out job's progress (last rank notified), so a retried job resumes
    t.integer('notified_through_rank').notNullable().defaultTo(0);
  });
  await knex.raw(`ALTER TABLE draws ADD CONSTRAINT draws_hex_check CHECK (
    seed_commitment ~ '^[0-9a-f]{64}$' AND (roster_root IS NULL OR roster_root ~ '^[0-9a-f]{64}$')
    AND (results_hash IS NULL OR results_hash ~ '^[0-9a-f]{64}$'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('draws');
}
