// Why: an instant sale's waiting room has its own rules and a queue seed committed before anyone can join.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE instant_rooms (
    campaign_id uuid PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
    -- SHA-256 of the operator secret, public from the room's creation; the secret is sealed until opening
    seed_commitment text NOT NULL,
    secret_enc text NOT NULL,
    secret text,
    seed text,
    prequeue_minutes integer NOT NULL CHECK (prequeue_minutes BETWEEN 0 AND 1440),
    admit_per_second integer NOT NULL CHECK (admit_per_second BETWEEN 1 AND 100000),
    max_active integer NOT NULL CHECK (max_active BETWEEN 1 AND 1000000),
    token_seconds integer NOT NULL CHECK (token_seconds BETWEEN 10 AND 3600),
    hold_seconds integer NOT NULL CHECK (hold_seconds BETWEEN 30 AND 86400),
    -- people in the pre-queue, fixed by the shuffle at opening; later arrivals rank after them
    pre_count integer,
    shuffled_at timestamptz,
    admitted_through bigint NOT NULL DEFAULT 0,
    cursor_moved_at timestamptz,
    created_at timestamptz NOT NULL
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instant_rooms');
}
