import type { Trx } from '../knex.js';

/** Records an inbound message once; false when the provider delivered the same MessageSid before. */
export async function recordInboundSms(
  trx: Trx,
  m: { message_sid: string; from_hash: string; command: string },
): Promise<boolean> {
  const rows = await trx('sms_inbound').insert(m).onConflict('message_sid').ignore().returning('message_sid');
  return rows.length === 1;
}

export async function setInboundOutcome(trx: Trx, messageSid: string, outcome: string): Promise<void> {
  await trx('sms_inbound').where({ message_sid: messageSid }).update({ outcome });
}
