// What every proxy route checks: the signed-in resident is a registered helper, and the subject token (the
// helped person's verification) was issued to this helper, for someone other than the helper.
import type { VerifiedPerson } from '../../../commands/verifyCode.js';
import { findProxyByIdentity, type HelperProxy } from '../../../db/repos/proxies.js';
import { DomainError } from '../../../domain/errors.js';
import { maskContact } from '../../../domain/identity.js';
import { decryptText } from '../../../identity/crypto.js';
import {
  type ResidentClaims,
  SUBJECT_AUDIENCE,
  SUBJECT_TOKEN_SECONDS,
  signResidentToken,
  verifyResidentToken,
} from '../../../identity/residentSession.js';
import type { AppDeps } from '../../deps.js';

export async function helperProxy(deps: AppDeps, helperIdentityId: string): Promise<HelperProxy> {
  const proxy = await findProxyByIdentity(deps.db, helperIdentityId);
  if (!proxy) throw new DomainError('not_a_proxy', 'You are not registered as a helper');
  return proxy;
}

/** The helped person's verification as a token bound to the helper (10 minutes). */
export async function signSubjectToken(deps: AppDeps, person: VerifiedPerson, helperIdentityId: string) {
  const now = deps.clock.now();
  const token = await signResidentToken(
    deps.config.secrets.sessionSecret,
    {
      sub: person.identity.id,
      m: person.identity.method,
      bd: person.birth_date,
      bs: person.birth_date_source,
      cc: person.contact_channel,
      ce: person.contact_enc,
      lang: person.identity.lang,
      by: helperIdentityId,
      to: maskContact(
        person.contact_channel,
        decryptText(deps.config.secrets, person.contact_enc, 'contact'),
      ),
    },
    now,
    SUBJECT_AUDIENCE,
  );
  return { token, expires_at: new Date(now.getTime() + SUBJECT_TOKEN_SECONDS * 1000) };
}

export async function subjectFor(deps: AppDeps, token: string, helperIdentityId: string) {
  const subject: ResidentClaims = await verifyResidentToken(
    deps.config.secrets.sessionSecret,
    token,
    deps.clock.now(),
    SUBJECT_AUDIENCE,
  );
  if (subject.by !== helperIdentityId)
    throw new DomainError('invalid_token', 'That verification belongs to another helper');
  if (subject.sub === helperIdentityId)
    throw new DomainError('validation_failed', 'Apply for yourself on your own', {});
  return subject;
}

/** The helped person as the helper sees them: birth date and masked phone. */
export function personLabel(s: ResidentClaims): string {
  return [s.bd, s.to].filter(Boolean).join(' · ');
}

export function remainingOf(p: HelperProxy) {
  return { remaining: Math.max(0, p.cap - p.used), cap: p.cap };
}
