// An admin registers a helper (a family member or community-centre staff) who may apply for others, up to a cap.
import { appendAudit } from '../audit/log.js';
import { type HelperProxy, upsertProxy } from '../db/repos/proxies.js';
import { inTransaction } from '../db/transaction.js';
import { encryptText, verifiedKey } from '../identity/crypto.js';
import { type Actor, actorLabel } from './context.js';
import type { IntakeContext } from './intakeContext.js';
import { normaliseContact } from './requestCode.js';
import { resolveIdentity } from './resolveIdentity.js';

export async function registerProxy(
  ctx: IntakeContext,
  actor: Actor,
  p: { phone: string; birth_date: string; kind: HelperProxy['kind']; label: string; cap: number },
): Promise<HelperProxy> {
  const { value } = normaliseContact('sms', p.phone, p.birth_date, ctx.clock.now());
  return inTransaction(ctx.db, async (trx) => {
    const phone = verifiedKey.phone(ctx.secrets, value);
    const identity = await resolveIdentity(ctx, trx, {
      keys: [phone],
      method: 'sms',
      phone_enc: encryptText(ctx.secrets, value, 'contact'),
      phone_hash: phone.hash,
      lang: 'ko',
    });
    const proxy = await upsertProxy(trx, {
      identity_id: identity.id,
      kind: p.kind,
      label: p.label,
      cap: p.cap,
      created_by: actor.kind === 'staff' ? actor.id : null,
    });
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: actorLabel(actor),
      action: 'proxy.registered',
      subject: `proxy:${proxy.id}`,
      data: { kind: p.kind, label: p.label, cap: proxy.cap },
    });
    return proxy;
  });
}
