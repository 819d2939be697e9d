// The common instant purchase as one call of instant_buy (migrations/20261203900500_instant_buy.ts): one round
// trip, one atomic statement. A refusal comes back as a name; nothing was written then.
import type { Db } from '../knex.js';

export interface HomeRowBuy {
  campaign_id: string;
  identity_id: string;
  jti: string;
  now: Date;
  home: number;
  purchase_id: string;
  public_id: string;
  quantity: number;
  idempotency_key: string;
  fingerprint: string;
  hold_expires_at: Date;
  order_id: string;
  payment_id: string;
  request_hash: string;
  amount: number;
  provider: string;
}

/** admission_used: no live token; purchase_refused: a live purchase or a closed sale; home_row_dry: no single row can serve it */
export type HomeRowRefusal = 'admission_used' | 'purchase_refused' | 'home_row_dry';

const REFUSALS: Record<string, HomeRowRefusal> = {
  FAB01: 'admission_used',
  FAB02: 'purchase_refused',
  FAB03: 'home_row_dry',
};

export async function buyFromHomeRow(db: Db, b: HomeRowBuy): Promise<HomeRowRefusal | undefined> {
  try {
    await db.raw('SELECT instant_buy(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      b.campaign_id,
      b.identity_id,
      b.jti,
      b.now,
      b.home,
      b.purchase_id,
      b.public_id,
      b.quantity,
      b.idempotency_key,
      b.fingerprint,
      b.hold_expires_at,
      b.order_id,
      b.payment_id,
      b.request_hash,
      b.amount,
      b.provider,
    ]);
    return undefined;
  } catch (err) {
    const refusal = REFUSALS[(err as { code?: string }).code ?? ''];
    if (refusal) return refusal;
    throw err;
  }
}
