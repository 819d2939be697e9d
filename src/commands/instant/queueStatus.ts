// Join the waiting room, and where one stands in it: before opening, waiting (people ahead and an estimate),
// or admitted with a token to buy. Reading one's place issues the token once one's turn has come.

import {
  findPlace,
  findStanding,
  insertPlace,
  type QueueRow,
  recordToken,
  type Standing,
} from '../../db/repos/instantQueue.js';
import { findSale, type SaleRow } from '../../db/repos/instantRooms.js';
import { DomainError } from '../../domain/errors.js';
import { waitEstimate } from '../../domain/instant/waitingRoom.js';
import { signAdmission } from './admissionToken.js';
import type { InstantContext } from './context.js';
import { ensureRoom } from './openRoom.js';

export interface Joiner {
  identity_id: string;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  lang: 'ko' | 'en';
}

export type QueueStatus =
  | { state: 'pre_queue'; ticket: string; opens_at: string; seed_commitment: string }
  | { state: 'placing'; ticket: string }
  | { state: 'waiting'; ticket: string; rank: number; ahead: number; wait_seconds: number }
  | { state: 'your_turn'; ticket: string; rank: number; admission_token: string; expires_at: string }
  | { state: 'purchased'; ticket: string; purchase_id: string }
  | { state: 'sold_out'; ticket: string }
  | { state: 'turn_used'; ticket: string };

async function saleOf(ctx: InstantContext, campaignId: string): Promise<SaleRow> {
  const c = await findSale(ctx.db, campaignId);
  if (c?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  return c;
}

/** Takes a place once; a second join returns the same place. Refused before the pre-queue opens and after closing. */
export async function joinQueue(ctx: InstantContext, campaignId: string, who: Joiner): Promise<QueueStatus> {
  const c = await saleOf(ctx, campaignId);
  const room = await ensureRoom(ctx, c);
  const ticket = ctx.random.bytes(9).toString('base64url');
  const placed = await insertPlace(ctx.db, { campaign_id: c.id, ticket, ...who }, room.prequeue_minutes);
  if (!placed && !(await findPlace(ctx.db, c.id, who.identity_id))) {
    const now = ctx.clock.now();
    if (now >= c.closes_at || !['scheduled', 'open'].includes(c.state))
      throw new DomainError('campaign_closed', 'The sale has closed');
    throw new DomainError('campaign_not_open', 'The waiting room is not open yet', {
      details: { prequeue_opens_at: new Date(c.opens_at.getTime() - room.prequeue_minutes * 60_000) },
    });
  }
  return queueStatus(ctx, campaignId, who.identity_id);
}

export async function queueStatus(
  ctx: InstantContext,
  campaignId: string,
  identityId: string,
): Promise<QueueStatus> {
  const s = await findStanding(ctx.db, campaignId, identityId);
  if (s?.mode !== 'instant') throw new DomainError('not_found', 'No instant sale here');
  if (!s.place || !s.room) throw new DomainError('not_found', 'You have no place in this queue yet');
  return statusOf(ctx, campaignId, s as Placed);
}

type Placed = Standing & { place: QueueRow; room: NonNullable<Standing['room']> };

async function statusOf(ctx: InstantContext, campaignId: string, s: Placed): Promise<QueueStatus> {
  const { room, place: p } = s;
  const ticket = p.ticket;
  if (!room.shuffled_at && p.pre)
    return {
      state: 'pre_queue',
      ticket,
      opens_at: s.opens_at.toISOString(),
      seed_commitment: room.seed_commitment,
    };
  if (p.rank === null) return { state: 'placing', ticket };
  const rank = Number(p.rank);
  if (rank > room.admitted_through) {
    const { ahead, seconds } = waitEstimate(rank, room.admitted_through, room.admit_per_second);
    return { state: 'waiting', ticket, rank, ahead, wait_seconds: seconds };
  }
  if (s.live_purchase) return { state: 'purchased', ticket, purchase_id: s.live_purchase };
  if (p.token_used_at) return { state: 'turn_used', ticket };
  if (s.remaining === 0) return { state: 'sold_out', ticket };
  return admit(ctx, campaignId, room, p, rank);
}

/** The token for this turn: the live one again (same jti and expiry), or a new one when none stands. */
async function admit(
  ctx: InstantContext,
  campaignId: string,
  room: Placed['room'],
  p: QueueRow,
  rank: number,
): Promise<QueueStatus> {
  const now = ctx.clock.now();
  let jti = p.token_jti;
  let expires = p.token_expires_at;
  if (!jti || !expires || expires <= now) {
    jti = ctx.random.bytes(12).toString('base64url');
    expires = new Date(now.getTime() + room.token_seconds * 1000);
    if (!(await recordToken(ctx.db, campaignId, p.identity_id, jti, expires, now))) {
      return queueStatus(ctx, campaignId, p.identity_id); // another request issued it a moment ago
    }
  }
  const token = await signAdmission(
    ctx.secrets.sessionSecret,
    { sub: p.identity_id, cid: campaignId, jti, exp: Math.floor(expires.getTime() / 1000) },
    now,
  );
  return {
    state: 'your_turn',
    ticket: p.ticket,
    rank,
    admission_token: token,
    expires_at: expires.toISOString(),
  };
}
