// A sale's terms, remembered a few seconds by the process that serves its rush (made in the composition root,
// src/contexts.ts), so that a purchase or a join makes no read of its own for them.
//
// What a purchase validates and prices by (mode, denomination, per-person limit, discount, hold) cannot change
// once the sale is open: a campaign is edited until it opens, room rules until its pre-queue opens; whether it is
// still open is instant_buy's own check. Saves a read per buy.
//
// Who may join (the eligibility rules) is remembered while the sale is scheduled or open: an edit during the
// pre-queue moves the rules version, and the join's statement takes a place only at the version the join was judged
// by (db/repos/instantJoins.ts), so rules remembered from before an edit refuse nobody wrongly and admit nobody.
import type { Db } from '../../db/knex.js';
import { findSaleRules, findSaleWithHold, type SaleRules } from '../../db/repos/instantRooms.js';

export type SaleTerms = NonNullable<Awaited<ReturnType<typeof findSaleWithHold>>>;
export type OpenSaleTerms = (db: Db, campaignId: string, nowMs: number) => Promise<SaleTerms | undefined>;

export interface SaleRulesMemory {
  of(db: Db, campaignId: string, nowMs: number): Promise<SaleRules | undefined>;
  /** the sale's rules changed under a join: the next one reads them again */
  forget(campaignId: string): void;
}

const REMEMBER_MS = 5000;
const MAX_SALES = 1000;

/** Rows read by `read`, each kept REMEMBER_MS while `keep` says so (a sale in another state is read each time). */
function remembered<T>(read: (db: Db, id: string) => Promise<T | undefined>, keep: (row: T) => boolean) {
  const known = new Map<string, { row: T; until: number }>();
  return {
    async of(db: Db, id: string, nowMs: number): Promise<T | undefined> {
      const k = known.get(id);
      if (k && k.until > nowMs) return k.row;
      const row = await read(db, id);
      if (row && keep(row)) {
        if (known.size >= MAX_SALES) known.clear();
        known.set(id, { row, until: nowMs + REMEMBER_MS });
      } else known.delete(id);
      return row;
    },
    forget(id: string) {
      known.delete(id);
    },
  };
}

export function openSaleTerms(): OpenSaleTerms {
  return remembered(findSaleWithHold, (sale) => sale.state === 'open').of;
}

export function saleRulesMemory(): SaleRulesMemory {
  return remembered(findSaleRules, (sale) => sale.state === 'scheduled' || sale.state === 'open');
}
