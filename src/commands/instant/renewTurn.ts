// A new turn for a place admitted earlier whose token is gone or ran out unspent (the resident was away): it is
// one more buyer at the counter, so it starts only while the cap and the stock leave room, as the admission pass
// admits no one past them. Read first without a lock (a full counter, the usual answer to a returning place once a
// rush is on, costs no lock); then, with the room's row locked as the pass holds it, read again and record: two
// renewals, or a renewal and the pass, cannot each take the same free place.
import type { Db, Trx } from '../../db/knex.js';
import { activeTokens, recordToken } from '../../db/repos/instantQueue.js';
import { findRoom, findSale, lockRoom, type RoomRow } from '../../db/repos/instantRooms.js';
import { inTransaction } from '../../db/transaction.js';
import { counterHasRoom } from '../../domain/instant/waitingRoom.js';
import type { InstantContext } from './context.js';
import { admissionRulesOf, unitsLeft } from './counter.js';

/** renewed: the token is recorded; taken: another request recorded one a moment ago; full: no room at the counter */
export type Renewal = 'renewed' | 'taken' | 'full';

export async function renewTurn(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
  turn: { jti: string; expires: Date },
): Promise<Renewal> {
  const sale = await findSale(ctx.db, campaignId);
  if (!sale) return 'full';
  const hasRoom = async (db: Db | Trx, room: RoomRow | undefined, now: Date) =>
    room !== undefined &&
    counterHasRoom(
      {
        active: await activeTokens(db, campaignId, now),
        unitsLeft: await unitsLeft(db, campaignId, sale.denomination),
      },
      admissionRulesOf(room),
    );
  if (!(await hasRoom(ctx.db, await findRoom(ctx.db, campaignId), ctx.clock.now()))) return 'full';
  return inTransaction(ctx.db, async (trx) => {
    const now = ctx.clock.now();
    if (!(await hasRoom(trx, await lockRoom(trx, campaignId), now))) return 'full';
    return (await recordToken(trx, campaignId, identityId, turn.jti, turn.expires, now))
      ? 'renewed'
      : 'taken';
  });
}
