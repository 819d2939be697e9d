// An open sale's terms, remembered a few seconds by the process that serves its purchases (made in the
// composition root, src/contexts.ts). What a purchase validates and prices by (mode, denomination, per-person
// limit, discount, hold) cannot change once the sale is open: a campaign is edited until it opens, room rules
// until its pre-queue opens; whether it is still open is instant_buy's own check. Saves a read per buy.
import type { Db } from '../../db/knex.js';
import { findSaleWithHold } from '../../db/repos/instantRooms.js';

export type SaleTerms = NonNullable<Awaited<ReturnType<typeof findSaleWithHold>>>;
export type OpenSaleTerms = (db: Db, campaignId: string, nowMs: number) => Promise<SaleTerms | undefined>;

const REMEMBER_MS = 5000;
const MAX_SALES = 1000;

export function openSaleTerms(): OpenSaleTerms {
  const open = new Map<string, { sale: SaleTerms; until: number }>();
  return async (db, campaignId, nowMs) => {
    const known = open.get(campaignId);
    if (known && known.until > nowMs) return known.sale;
    const sale = await findSaleWithHold(db, campaignId);
    if (sale?.state === 'open') {
      if (open.size >= MAX_SALES) open.clear();
      open.set(campaignId, { sale, until: nowMs + REMEMBER_MS });
    } else open.delete(campaignId);
    return sale;
  };
}
