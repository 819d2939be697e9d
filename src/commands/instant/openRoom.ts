// A sale's waiting room, made once: the operator secret is drawn and sealed, its commitment
// public from this moment, before anyone can join the pre-queue.

import type { Db, Trx } from '../../db/knex.js';
import {
  findRoom,
  insertRoomOnce,
  type NewRoom,
  type RoomRow,
  type RoomRuleColumns,
} from '../../db/repos/instantRooms.js';
import { queueCommitment } from '../../domain/instant/waitingRoom.js';
import { encryptText } from '../../identity/crypto.js';
import { DEFAULT_ROOM, type InstantContext } from './context.js';

export interface SaleCampaign {
  id: string;
  code: string;
  total: number;
  denomination: number;
}

export type RoomRules = Pick<RoomRow, RoomRuleColumns>;

/** Makes the room unless one stands (the first made stands: its commitment may already be public). */
export async function insertRoom(
  ctx: InstantContext,
  db: Db | Trx,
  campaignId: string,
  rules: RoomRules = DEFAULT_ROOM,
): Promise<void> {
  const secret = ctx.random.bytes(32).toString('hex');
  const room: NewRoom = {
    campaign_id: campaignId,
    seed_commitment: queueCommitment(secret),
    secret_enc: encryptText(ctx.secrets, secret, `instant-room:${campaignId}`),
    ...rules,
    created_at: ctx.clock.now(),
  };
  await insertRoomOnce(db, room);
}

export async function ensureRoom(ctx: InstantContext, c: SaleCampaign): Promise<RoomRow> {
  const known = await findRoom(ctx.db, c.id);
  if (known) return known;
  await ctx.db.transaction((trx) => insertRoom(ctx, trx, c.id));
  return (await findRoom(ctx.db, c.id))!;
}
