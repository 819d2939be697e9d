// Why: each campaign names the ways a resident may prove who they are (phone code and OIDC by default; 본인인증 where configured; email only when an admin accepts the risk), a choice recorded with the campaign.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE campaigns
    ADD COLUMN verification_methods text[] NOT NULL DEFAULT '{sms,oidc}',
    ADD CONSTRAINT campaigns_verification_methods_check
      CHECK (verification_methods <@ '{sms,oidc,portone,email}'::text[] AND cardinality(verification_methods) >= 1)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns DROP COLUMN verification_methods');
}
