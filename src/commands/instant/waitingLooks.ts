// Looks at a place still waiting, answered from what the process knows (made in the composition root,
// src/contexts.ts). A rank never changes once given, and the room's admission cursor only moves forward, once a
// pass (every second); so a place ranked past the cursor, read at most CURSOR_MS ago by one shared read, is still
// waiting, and its answer needs no read of its own. At an opening most looks are these: one read of the room a
// CURSOR_MS for them all instead of one read of the place, the purchase and the stock a look. A place at or
// before the cursor is read as before (its token, its purchase, the stock). The same read gives the stock left and
// its holds, so a sale sold out for good is said at once to everyone still waiting, rather than at their turn.
import type { Db } from '../../db/knex.js';
import { findRoomCursor } from '../../db/repos/instantRooms.js';

const CURSOR_MS = 200;
const MAX_PLACES = 200_000;

type Cursor =
  | {
      admitted_through: number;
      admit_per_second: number;
      held_back: boolean;
      remaining: number;
      holds_live: boolean;
      closed: boolean;
    }
  | undefined;

export interface WaitingLooks {
  /** a ranked place's rank and ticket, once a read has shown them */
  remember(campaignId: string, identityId: string, place: { rank: number; ticket: string }): void;
  /** the place and the cursor when the place is known and still waiting; undefined: read it */
  waiting(
    db: Db,
    campaignId: string,
    identityId: string,
    nowMs: number,
  ): Promise<(NonNullable<Cursor> & { rank: number; ticket: string }) | undefined>;
}

export function waitingLooks(): WaitingLooks {
  const places = new Map<string, { rank: number; ticket: string }>();
  const cursors = new Map<string, { read: Promise<Cursor>; at: number }>();
  const cursorOf = (db: Db, campaignId: string, nowMs: number) => {
    const known = cursors.get(campaignId);
    if (known && nowMs - known.at < CURSOR_MS && nowMs >= known.at) return known.read;
    const read = findRoomCursor(db, campaignId);
    if (cursors.size >= 1000) cursors.clear();
    cursors.set(campaignId, { read, at: nowMs });
    read.catch(() => cursors.delete(campaignId));
    return read;
  };
  return {
    remember(campaignId, identityId, place) {
      if (places.size >= MAX_PLACES) places.clear();
      places.set(`${campaignId}:${identityId}`, place);
    },
    async waiting(db, campaignId, identityId, nowMs) {
      const place = places.get(`${campaignId}:${identityId}`);
      if (!place) return undefined;
      const cursor = await cursorOf(db, campaignId, nowMs);
      // a closed sale's looks are read in full: few, and their answer is no longer the cursor's
      if (!cursor || cursor.closed || place.rank <= cursor.admitted_through) return undefined;
      return { ...place, ...cursor };
    },
  };
}
