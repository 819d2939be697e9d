// Every payment webhook delivery, kept whole: the first delivery of an id is acted on, repeats only counted.
import type { Db } from '../knex.js';

/** Stores the delivery (or counts a repeat of it); how many times this webhook id has arrived. */
export async function recordPaymentWebhook(
  db: Db,
  w: {
    provider: string;
    webhook_id: string;
    type: string;
    payment_id: string | null;
    body: unknown;
    received_at: Date;
  },
): Promise<number> {
  const { rows } = await db.raw(
    `INSERT INTO payment_webhooks (provider, webhook_id, type, payment_id, body, received_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (provider, webhook_id) DO UPDATE SET deliveries = payment_webhooks.deliveries + 1
     RETURNING deliveries`,
    [w.provider, w.webhook_id, w.type, w.payment_id, JSON.stringify(w.body), w.received_at],
  );
  return rows[0].deliveries;
}

/** The webhooks (PortOne V2's names, the development provider's too) that say money was taken or is being confirmed. */
const PAYMENT_REPORTED = ['Transaction.Paid', 'Transaction.PayPending'];

/** Whether the provider has told us, by webhook, that this payment was made (its lookup may not have said so yet). */
export async function paymentReported(db: Db, paymentId: string): Promise<boolean> {
  const row = await db('payment_webhooks')
    .where({ payment_id: paymentId })
    .whereIn('type', PAYMENT_REPORTED)
    .first('webhook_id');
  return row !== undefined;
}
