// Why: when two stored identities turn out to be one person who already applied twice to a campaign, both applications are kept (nothing a resident did is silently dropped) and the pair is put before an admin; provider verification ids are spent once.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE identity_flags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    -- the person (the surviving identity) and the application kept under them
    identity_id uuid NOT NULL REFERENCES identities(id),
    kept_application_id uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    -- the other identity and its application, kept too
    other_identity_id uuid NOT NULL REFERENCES identities(id),
    other_application_id uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE UNIQUE,
    -- what showed they are one person: 'same_phone', 'oidc_phone', 'ci_phone', 'ci'
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by uuid REFERENCES staff(id),
    resolution text
  )`);
  await knex.raw(
    'CREATE INDEX identity_flags_open_idx ON identity_flags (created_at) WHERE resolved_at IS NULL',
  );
  await knex.raw(`CREATE TABLE provider_verifications (
    -- the provider's verification id (PortOne identityVerificationId): a result is used for one sign-in only
    id text PRIMARY KEY,
    provider text NOT NULL,
    identity_id uuid REFERENCES identities(id),
    consumed_at timestamptz NOT NULL DEFAULT now()
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('provider_verifications');
  await knex.schema.dropTable('identity_flags');
}
