// One person, one row, whichever way they proved who they are: every verified key (phone, email, OIDC subject,
// CI) leads to one identity. When a sign-in shows that two stored identities are one person (an OIDC token
// carrying a phone that already verified by code, a CI seen with a second phone), the newer is merged into the
// older; applications that collide in a campaign are both kept and flagged for admins.
import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import {
  type Identity,
  type IdentityFields,
  refreshIdentity,
  upsertIdentity,
} from '../db/repos/identities.js';
import {
  identitiesForKeys,
  insertIdentityFlag,
  linkKeys,
  mergeIdentityInto,
} from '../db/repos/identityKeys.js';
import type { BirthDateSource } from '../domain/facts.js';
import { decryptText, type VerifiedKey } from '../identity/crypto.js';
import { BIRTH_DATE_AAD } from './counterFacts.js';
import type { IntakeContext } from './intakeContext.js';

export interface Verified extends IdentityFields {
  /** what was proved; the first is the identity's own key when it is new */
  keys: [VerifiedKey, ...VerifiedKey[]];
}

/** Why the keys were joined, for the flag an admin reads. */
function joinReason(keys: readonly VerifiedKey[]): string {
  const kinds = new Set(keys.map((k) => k.kind));
  if (kinds.has('ci')) return kinds.has('phone') ? 'ci_phone' : 'ci';
  if (kinds.has('oidc')) return 'oidc_phone';
  return 'same_phone';
}

export async function resolveIdentity(
  ctx: Pick<IntakeContext, 'clock'>,
  trx: Trx,
  v: Verified,
): Promise<Identity> {
  const hashes = v.keys.map((k) => k.hash);
  const found = await identitiesForKeys(trx, hashes);
  const { keys, ...fields } = v;
  const person = found[0]
    ? await refreshIdentity(trx, found[0].id, fields)
    : await upsertIdentity(trx, { ...fields, identity_key: keys[0].hash });
  await linkKeys(trx, person.id, keys);
  // A concurrent sign-in may have linked one of the keys elsewhere meanwhile: read again and join them all.
  for (const other of await identitiesForKeys(trx, hashes)) {
    if (other.id === person.id) continue;
    const collisions = await mergeIdentityInto(trx, other.id, person.id);
    for (const c of collisions) {
      const reason = joinReason(keys);
      const flag = await insertIdentityFlag(trx, {
        ...c,
        identity_id: person.id,
        other_identity_id: other.id,
        reason,
      });
      await appendAudit(trx, {
        at: ctx.clock.now(),
        actor: 'system:identity',
        action: 'identity.flagged',
        subject: `campaign:${c.campaign_id}`,
        data: { flag, reason, kept: c.kept_public_id, other: c.other_public_id },
      });
    }
  }
  return person;
}

/** The birth date to apply with: a provider's (kept on the person) wins over one typed now. */
export function birthDateOf(
  ctx: Pick<IntakeContext, 'secrets'>,
  identity: Pick<Identity, 'birth_date_enc'>,
  typed: string | null,
): { birth_date: string | null; birth_date_source: BirthDateSource | null } {
  if (identity.birth_date_enc)
    return {
      birth_date: decryptText(ctx.secrets, identity.birth_date_enc, BIRTH_DATE_AAD),
      birth_date_source: 'provider',
    };
  return { birth_date: typed, birth_date_source: typed ? 'declared' : null };
}
