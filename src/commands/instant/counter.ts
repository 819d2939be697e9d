// What decides who may be at the counter, read the same way by the admission pass (runSales.ts) and by a turn given
// again (renewTurn.ts): the room's rules as the domain takes them, and the purchases the stock left can serve.
import type { Db, Trx } from '../../db/knex.js';
import type { RoomRow } from '../../db/repos/instantRooms.js';
import { stockTotals } from '../../db/repos/instantStock.js';
import type { AdmissionRules } from '../../domain/instant/waitingRoom.js';

export const admissionRulesOf = (
  room: Pick<RoomRow, 'admit_per_second' | 'max_active' | 'overbook_percent'>,
): AdmissionRules => ({
  perSecond: room.admit_per_second,
  maxActive: room.max_active,
  overbookPercent: room.overbook_percent,
});

/** Whole purchases the stock left can serve (at one denomination each). */
export async function unitsLeft(db: Db | Trx, campaignId: string, denomination: number): Promise<number> {
  return Math.floor((await stockTotals(db, campaignId)).remaining / denomination);
}
