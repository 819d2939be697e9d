// A sale's waiting room, made once: the operator secret is drawn and sealed, its commitment
// public from this moment, before anyone can join the pre-queue.

import { findRoom, insertRoomOnce, type RoomRow } from '../../db/repos/instantRooms.js';
import { queueCommitment } from '../../domain/instant/waitingRoom.js';
import { encryptText } from '../../identity/crypto.js';
import { DEFAULT_ROOM, type InstantContext } from './context.js';

export interface SaleCampaign {
  id: string;
  code: string;
  total: number;
  denomination: number;
}

export async function ensureRoom(ctx: InstantContext, c: SaleCampaign): Promise<RoomRow> {
  const known = await findRoom(ctx.db, c.id);
  if (known) return known;
  const secret = ctx.random.bytes(32).toString('hex');
  await ctx.db.transaction(async (trx) => {
    await insertRoomOnce(trx, {
      campaign_id: c.id,
      seed_commitment: queueCommitment(secret),
      secret_enc: encryptText(ctx.secrets, secret, `instant-room:${c.id}`),
      ...DEFAULT_ROOM,
      created_at: ctx.clock.now(),
    });
  });
  return (await findRoom(ctx.db, c.id))!;
}
